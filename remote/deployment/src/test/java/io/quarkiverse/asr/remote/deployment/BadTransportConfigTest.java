package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A remote provider naming a TLS configuration the registry does not have, and a proxy address without a port: the
 * start fails, naming both settings and the TLS properties to set.
 */
class BadTransportConfigTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.base-url", "https://localhost:1/v1")
            .overrideConfigKey("quarkus.asr.remote.tls-configuration-name", "missing")
            .overrideConfigKey("quarkus.asr.remote.proxy-address", "proxy.internal")
            .assertException(t -> assertThat(t)
                    .hasStackTraceContaining(ConfigurationException.class.getName()
                            + ": quarkus.asr.remote.tls-configuration-name is missing")
                    .hasStackTraceContaining("quarkus.tls.\"missing\"")
                    .hasStackTraceContaining("quarkus.asr.remote.proxy-address must be host:port, got proxy.internal"));

    @Test
    void startFails() {
        // the assertion is in assertException: the application must not start
    }
}
