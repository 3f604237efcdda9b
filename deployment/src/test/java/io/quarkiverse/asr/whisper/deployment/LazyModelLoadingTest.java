package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;

class LazyModelLoadingTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.load-on-startup", "false");

    @Inject
    WhisperAsrProvider whisper;

    @Test
    void loadsTheModelOnFirstUse() {
        assertThat(whisper.isModelLoaded()).isFalse();
        var transcript = whisper.transcribe(AudioInput.of(TestData.JFK)).await().atMost(Duration.ofMinutes(1));
        assertThat(whisper.isModelLoaded()).isTrue();
        assertThat(transcript.duration()).isBetween(Duration.ofMillis(10_990), Duration.ofMillis(11_010));
    }
}
