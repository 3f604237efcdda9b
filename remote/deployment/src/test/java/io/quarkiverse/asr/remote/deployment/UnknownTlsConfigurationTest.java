package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** A remote provider naming a TLS configuration the registry does not have: the start fails, naming both. */
class UnknownTlsConfigurationTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.base-url", "https://localhost:1/v1")
            .overrideConfigKey("quarkus.asr.remote.tls-configuration-name", "missing")
            .assertException(t -> assertThat(t)
                    .hasStackTraceContaining(ConfigurationException.class.getName()
                            + ": quarkus.asr.remote.tls-configuration-name is missing")
                    .hasStackTraceContaining("quarkus.tls.\"missing\""));

    @Test
    void startFails() {
        // the assertion is in assertException: the application must not start
    }
}
