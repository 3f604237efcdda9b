package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** In offline mode a catalogue model missing from the models folder fails the build, naming how to get it. */
class OfflineMissingCatalogueModelTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.whisper.model", "base.en")
            .overrideConfigKey("quarkus.asr.whisper.models-dir", "target/empty-models-dir")
            .overrideConfigKey("quarkus.asr.whisper.offline", "true")
            .assertException(t -> assertThat(t)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("ggml-base.en.bin")
                    .hasMessageContaining("offline"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
