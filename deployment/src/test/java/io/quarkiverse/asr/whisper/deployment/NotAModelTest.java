package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** A file that exists but is not a whisper model (here: a WAV file) fails the build, before any native code runs. */
class NotAModelTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.JFK.toString())
            .assertException(t -> assertThat(t)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("jfk.wav")
                    .hasMessageContaining("ggml"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
