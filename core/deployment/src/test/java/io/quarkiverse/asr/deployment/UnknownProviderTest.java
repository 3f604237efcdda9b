package io.quarkiverse.asr.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** quarkus.asr.provider naming a provider that is not present fails the build with the ones that are. */
class UnknownProviderTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .addBuildChainCustomizer(TestProviders.present(Map.of("alpha", Set.of(), "beta", Set.of())))
            .overrideConfigKey("quarkus.asr.provider", "gamma")
            .assertException(t -> assertThat(t)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("quarkus.asr.provider=gamma names no provider of this application")
                    .hasMessageContaining("the providers present are: alpha, beta"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
