package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/** The extension turns configuration into an injectable provider that runs real audio through libwhisper. */
class WhisperProviderTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.whisper.vad.model-path",
                    TestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin").toString());

    @Inject
    AsrProvider asr;

    @Inject
    WhisperAsrProvider whisper;

    @Test
    void injectsTheWhisperProviderWithItsModelLoadedAtStartup() {
        assertThat(asr).isSameAs(whisper);
        assertThat(whisper.isModelLoaded()).isTrue();
        assertThat(asr.info().name()).isEqualTo("whisper");
        assertThat(asr.info().model()).isEqualTo("for-tests-ggml-tiny.en.bin");
        assertThat(asr.info().capabilities()).contains(Capability.FILE_TRANSCRIPTION, Capability.WORD_TIMESTAMPS);
        assertThat(asr.info().details()).containsEntry("libraryVersion", "1.7.1");
    }

    @Test
    void transcribesRealSpeechThroughTheNativeLibrary() {
        Transcript transcript = asr.transcribe(AudioInput.of(TestData.JFK)).await().atMost(Duration.ofMinutes(1));

        // The test-sized model runs mel, encoder and decoder on the audio but its untrained weights emit no text.
        assertThat(transcript.duration()).isBetween(Duration.ofMillis(10_990), Duration.ofMillis(11_010));
        assertThat(transcript.language()).isEqualTo("en");
        assertThat(transcript.text()).isEqualTo(String.join("", transcript.segments().stream()
                .map(s -> s.text()).toList()).strip());
    }

    /**
     * With {@code vad.model-path}, a request's {@code vad} option skips the silence (the bundled 1.7.1 through the
     * Java Silero VAD): jfk.wav after 8 s of silence gives segments inside its speech only (0.32 to 10.62 s of its own
     * audio, ../shared/README.md), on the original timeline.
     */
    @Test
    void theVadOptionSkipsSilence() {
        assertThat(asr.info().details()).containsEntry("vad", "java");
        float[] jfk = AudioInput.of(TestData.JFK).decode(WhisperAsrProvider.SAMPLE_RATE).samples();
        float[] samples = new float[8 * WhisperAsrProvider.SAMPLE_RATE + jfk.length];
        System.arraycopy(jfk, 0, samples, 8 * WhisperAsrProvider.SAMPLE_RATE, jfk.length);

        Transcript transcript = asr.transcribe(AudioInput.ofSamples(samples, WhisperAsrProvider.SAMPLE_RATE),
                TranscriptionOptions.builder().vad(true).build()).await().atMost(Duration.ofMinutes(1));

        assertThat(transcript.segments()).allSatisfy(segment -> {
            assertThat(segment.start()).isGreaterThanOrEqualTo(Duration.ofMillis(8_300));
            assertThat(segment.end()).isLessThanOrEqualTo(Duration.ofMillis(18_700));
        });
    }

    @Test
    void rejectsAudioThatIsNotAudio() {
        Uni<Transcript> result = asr.transcribe(AudioInput.of("not a wav file".getBytes(), "notes.txt"),
                TranscriptionOptions.defaults());
        assertThatThrownBy(() -> result.await().atMost(Duration.ofSeconds(30)))
                .isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining("notes.txt");
    }
}
