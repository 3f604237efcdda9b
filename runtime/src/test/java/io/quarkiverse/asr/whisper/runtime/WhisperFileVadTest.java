package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.whisper.natives.testjvm.ForkedJvm;

/**
 * File transcription with VAD: a synthetic sentence with 6 s of silence on each side (16 s in all, beyond the ~10 s
 * the espeak mini model was trained on) gives the sentence word for word, with segment and word times on the
 * original timeline, inside the sentence's audio. Through the bundled whisper.cpp 1.7.1 with the Java Silero VAD, and
 * through whisper.cpp 1.9.3's own VAD in a JVM of its own (a process loads one whisper.cpp).
 */
class WhisperFileVadTest {

    private static final String SENTENCE = "s01";
    private static final int PAD_SECONDS = 6;
    private static final TranscriptionOptions WITH_VAD = TranscriptionOptions.builder().language("en")
            .temperature(0f).wordTimestamps(true).vad(true).build();

    @Test
    void theBundledLibraryTranscribesOnlyTheSpeechThroughTheJavaVad() {
        try (WhisperAsrProvider provider = WhisperAsrProvider.create(TestData.ESPEAK_MINI_MODEL, settings())) {
            assertThat(provider.info().details()).containsEntry("libraryVersion", "1.7.1").containsEntry("vad", "java");
            Transcript transcript = provider.transcribe(padded(), WITH_VAD).await().indefinitely();

            assertSentenceOnTheOriginalTimeline(transcript.segments());
            assertThat(transcript.duration().toMillis()).isEqualTo(paddedMillis());
        }
    }

    @Test
    void whisperCpp193TranscribesOnlyTheSpeechThroughItsOwnVad() throws Exception {
        ForkedJvm.Result child = TestData.runWithWhisperCpp193(WhisperFileVadTest.class);

        assertThat(child.exit()).as(child.toString()).isZero();
        assertThat(child.stdout()).as(child.toString()).contains("VAD whisper.cpp");
        assertSentenceOnTheOriginalTimeline(parse(child.stdout()));
    }

    @Test
    void vadWithoutAModelIsRefused() {
        try (WhisperAsrProvider provider = WhisperAsrProvider.create(TestData.ESPEAK_MINI_MODEL,
                TestData.settings(1, 0, Optional.empty()))) {
            assertThat(provider.info().details()).containsEntry("vad", "none");
            assertThatThrownBy(() -> provider.transcribe(padded(), WITH_VAD).await().indefinitely())
                    .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("quarkus.asr.whisper.vad.model-path");
        }
    }

    /** In the child JVM: transcribes the padded sentence with the library at {@code args[0]} and prints it. */
    public static void main(String[] args) {
        WhisperSettings bundled = settings();
        WhisperSettings settings = new WhisperSettings(Optional.of(Path.of(args[0])), bundled.nativeCacheDir(),
                bundled.backend(), 0, Optional.empty(), true, 1, 0, Optional.empty(), 1, bundled.decoding())
                .withVad(TestData.VAD_MODEL, VadParameters.defaults());
        try (WhisperAsrProvider provider = WhisperAsrProvider.create(TestData.ESPEAK_MINI_MODEL, settings)) {
            System.out.println("VAD " + provider.info().details().get("vad"));
            for (Segment segment : provider.transcribe(padded(), WITH_VAD).await().indefinitely().segments()) {
                System.out.println("SEGMENT " + segment.start().toMillis() + " " + segment.end().toMillis() + " "
                        + segment.text().strip());
                for (Word word : segment.words()) {
                    System.out.println("WORD " + word.start().toMillis() + " " + word.end().toMillis() + " "
                            + word.text());
                }
            }
        }
    }

    private static WhisperSettings settings() {
        return TestData.settings(1, 0, Optional.empty()).withVad(TestData.VAD_MODEL, VadParameters.defaults());
    }

    private static AudioInput padded() {
        float[] sentence = sentence();
        float[] samples = new float[sentence.length + 2 * PAD_SECONDS * WhisperAsrProvider.SAMPLE_RATE];
        System.arraycopy(sentence, 0, samples, PAD_SECONDS * WhisperAsrProvider.SAMPLE_RATE, sentence.length);
        return AudioInput.ofSamples(samples, WhisperAsrProvider.SAMPLE_RATE);
    }

    private static float[] sentence() {
        return AudioInput.of(TestData.SYNTHETIC.resolve(SENTENCE + ".wav")).decode(WhisperAsrProvider.SAMPLE_RATE)
                .samples();
    }

    private static long paddedMillis() {
        return sentence().length * 1000L / WhisperAsrProvider.SAMPLE_RATE + 2000L * PAD_SECONDS;
    }

    /**
     * The sentence's words; every segment and word inside its audio, give or take the VAD's padding and whisper's
     * rounding (0.1 s before, 0.3 s after), where without the mapping back they would start near 0 s.
     */
    private static void assertSentenceOnTheOriginalTimeline(List<Segment> segments) {
        StringBuilder text = new StringBuilder();
        segments.forEach(s -> text.append(s.text()));
        String reference = TestData.syntheticTranscripts().get(SENTENCE);
        assertThat(WordErrorRate.of(reference, text.toString()).wer()).as("%s", segments).isZero();

        long from = PAD_SECONDS * 1000L - 100;
        long to = paddedMillis() - PAD_SECONDS * 1000L + 300;
        assertThat(segments).isNotEmpty();
        for (Segment segment : segments) {
            assertThat(segment.start().toMillis()).as("%s", segment).isBetween(from, to);
            assertThat(segment.end().toMillis()).as("%s", segment).isBetween(segment.start().toMillis(), to);
            assertThat(segment.words()).as("%s", segment).isNotEmpty();
            for (Word word : segment.words()) {
                assertThat(word.start().toMillis()).as("%s", word).isBetween(from, to);
                assertThat(word.end().toMillis()).as("%s", word).isBetween(word.start().toMillis(), to);
            }
        }
    }

    /** The segments and words the child printed (no tokens). */
    private static List<Segment> parse(String stdout) {
        List<Segment> segments = new ArrayList<>();
        List<String[]> pending = new ArrayList<>();
        List<String> lines = stdout.lines().filter(l -> l.startsWith("SEGMENT ") || l.startsWith("WORD ")).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String[] f = lines.get(i).split(" ", 4);
            if (f[0].equals("WORD")) {
                pending.addFirst(f);
                continue;
            }
            List<Word> words = pending.stream().map(w -> new Word(Duration.ofMillis(Long.parseLong(w[1])),
                    Duration.ofMillis(Long.parseLong(w[2])), w[3], Float.NaN)).toList();
            segments.addFirst(new Segment(Duration.ofMillis(Long.parseLong(f[1])),
                    Duration.ofMillis(Long.parseLong(f[2])), " " + (f.length > 3 ? f[3] : ""), List.of(), words));
            pending.clear();
        }
        return segments;
    }
}
