package io.quarkiverse.asr.whisper.runtime;

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
 * Selects a named provider: {@code @Inject @AsrProviderName("meetings") AsrProvider meetings;} gets the provider
 * configured under {@code quarkus.asr.whisper."meetings".*}. The unnamed configuration is the {@code @Default} bean.
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
