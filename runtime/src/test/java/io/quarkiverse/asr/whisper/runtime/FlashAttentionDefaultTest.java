package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkiverse.asr.whisper.natives.testjvm.ForkedJvm;

/**
 * Unless configured, flash attention follows the loaded library's own default: off with the bundled whisper.cpp 1.7.1,
 * on with 1.9.3 (in a JVM of its own: a process loads one whisper.cpp); a configured value wins either way. Each
 * provider transcribes a synthetic sentence word for word with the setting it reports.
 */
class FlashAttentionDefaultTest {

    private static final String SENTENCE = "s01";

    @Test
    void theBundledLibraryKeepsItOffUnlessConfigured() {
        assertThat(transcribeAndReport(Optional.empty(), Optional.empty())).isEqualTo("false");
        assertThat(transcribeAndReport(Optional.empty(), Optional.of(true))).isEqualTo("true");
    }

    @Test
    void whisperCpp193TurnsItOnUnlessConfigured() throws Exception {
        ForkedJvm.Result child = TestData.runWithWhisperCpp193(FlashAttentionDefaultTest.class);

        assertThat(child.exit()).as(child.toString()).isZero();
        assertThat(child.stdout()).as(child.toString()).contains("DEFAULT true", "CONFIGURED false");
    }

    /** In the child JVM: the setting the library at {@code args[0]} gets by default, then when configured off. */
    public static void main(String[] args) {
        Optional<Path> library = Optional.of(Path.of(args[0]));
        System.out.println("DEFAULT " + transcribeAndReport(library, Optional.empty()));
        System.out.println("CONFIGURED " + transcribeAndReport(library, Optional.of(false)));
    }

    /** The flash attention setting a provider reports, once it has transcribed the sentence word for word. */
    private static String transcribeAndReport(Optional<Path> library, Optional<Boolean> flashAttention) {
        WhisperSettings settings = new WhisperSettings(library, Optional.of(TestData.NATIVE_CACHE), ComputeBackend.CPU,
                0, flashAttention, true, 1, 0, Optional.empty(), 1, TranscriptionOptions.builder().language("en")
                        .build());
        try (WhisperAsrProvider provider = WhisperAsrProvider.create(TestData.ESPEAK_MINI_MODEL, settings)) {
            String text = provider.transcribe(AudioInput.of(TestData.SYNTHETIC.resolve(SENTENCE + ".wav")))
                    .await().indefinitely().text();
            assertThat(WordErrorRate.of(TestData.syntheticTranscripts().get(SENTENCE), text).wer()).as(text).isZero();
            return provider.info().details().get("flashAttention");
        }
    }
}
