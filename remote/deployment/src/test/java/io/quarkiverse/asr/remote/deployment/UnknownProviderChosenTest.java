package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** quarkus.asr.provider naming a provider that is not present fails the build, listing those that are. */
class UnknownProviderChosenTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.provider", "azure")
            .assertException(t -> assertThat(t)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("quarkus.asr.provider=azure names no provider of this application")
                    .hasMessageContaining("the providers present are: remote, whisper"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
