package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** Both provider extensions and no quarkus.asr.provider: the build fails and asks for the choice. */
class ProviderNotChosenTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.remote.base-url", "http://localhost:8080/v1")
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString())
            .assertException(t -> assertThat(t)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("Several ASR providers are present (remote, whisper)")
                    .hasMessageContaining("set quarkus.asr.provider"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
