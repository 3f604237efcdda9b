package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

class MissingModelFileTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.whisper.model", "/nowhere/ggml-missing.bin")
            .assertException(t -> assertThat(t)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("quarkus.asr.whisper.model=/nowhere/ggml-missing.bin")
                    .hasMessageContaining("does not exist"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
