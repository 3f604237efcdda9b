package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkus.test.QuarkusUnitTest;

/** Without an unnamed model there is no default bean, and the build does not ask for one. */
class OnlyNamedProviderTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.\"calls\".model", TestData.TINY_EN_MODEL.toString());

    @Inject
    @Any
    Instance<AsrProvider> providers;

    @Test
    void onlyTheNamedProviderExists() {
        assertThat(providers.select(AsrProviderName.Literal.of("calls")).isResolvable()).isTrue();
        assertThat(providers.select(jakarta.enterprise.inject.Default.Literal.INSTANCE).isResolvable()).isFalse();
    }
}
