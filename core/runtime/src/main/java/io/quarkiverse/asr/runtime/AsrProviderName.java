package io.quarkiverse.asr.runtime;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

/**
 * Selects a configured provider by name.
 * <ul>
 * <li>A named configuration: {@code @Inject @AsrProviderName("meetings") AsrProvider meetings;} gets the provider
 * configured under {@code quarkus.asr.whisper."meetings".*} (or {@code quarkus.asr.remote."meetings".*}: names are
 * unique across providers).</li>
 * <li>A provider id ({@code whisper}, {@code remote}): the unnamed configuration of that provider
 * ({@code quarkus.asr.whisper.*}), whether or not it is the default.</li>
 * </ul>
 * The unnamed configuration of the provider chosen by {@code quarkus.asr.provider} is also the {@code @Default} bean.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({ FIELD, PARAMETER, METHOD, TYPE })
public @interface AsrProviderName {

    /** The name used in the configuration keys. */
    String value();

    /** Supports inline instantiation, e.g. for {@code Instance.select(...)} and synthetic beans. */
    final class Literal extends AnnotationLiteral<AsrProviderName> implements AsrProviderName {

        private static final long serialVersionUID = 1L;

        private final String value;

        public static Literal of(String value) {
            return new Literal(value);
        }

        private Literal(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
