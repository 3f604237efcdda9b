package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.streaming.OnlineProcessor;
import io.quarkiverse.asr.spi.streaming.WindowTranscriber;
import io.quarkiverse.asr.spi.vad.SileroVad;
import io.quarkiverse.asr.spi.vad.VadParameters;

/**
 * Long-form speech streamed with VAD gating at real-time pace, without a clock: the audio arrives in 100 ms chunks and
 * a window is transcribed as soon as it is due, so the engine sees the buffer every second of speech, as when it keeps
 * up with a live source (as fast as possible, it would see a sentence once after one second and then whole). With the
 * espeak mini model, which finishes a sentence it has heard part of by squeezing the rest into the window's last
 * moment, and mishears the first seconds of some sentences the same way in consecutive windows (unsure of them).
 */
class WhisperLivePacingTest {

    private static final int RATE = WhisperAsrProvider.SAMPLE_RATE;
    /** A hang guard, not a speed expectation. */
    private static final Duration AWAIT = Duration.ofMinutes(2);
    private static final StreamingOptions OPTIONS = StreamingOptions.builder()
            .decoding(TranscriptionOptions.builder().language("en").temperature(0f).build())
            .minChunk(Duration.ofSeconds(1)).bufferTrimming(Duration.ofSeconds(5)).maxBuffer(Duration.ofSeconds(10))
            .vad(true).build();

    private static WhisperAsrProvider provider;
    private static SileroVad vad;
    private static float[] longForm;
    private static List<String[]> sentences;

    @BeforeAll
    static void start() throws IOException {
        provider = WhisperAsrProvider.create(TestData.ESPEAK_MINI_MODEL, TestData.settings(1, 0, Optional.empty()));
        vad = SileroVad.load(TestData.VAD_MODEL);
        longForm = AudioInput.of(TestData.LONG_FORM).decode(RATE).samples();
        sentences = Files.readAllLines(TestData.SYNTHETIC.resolve("long-form.tsv")).stream().skip(1)
                .map(line -> line.split("\t", 3)).toList();
    }

    @AfterAll
    static void stop() {
        if (vad != null) {
            vad.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    /**
     * Sentences 9 to 12: the model puts "washed his brushes in the sink." at the end of a window that has heard only
     * "He painted the fence green and then", in two windows running. Words at a window's end are not confirmed while
     * the speech goes on, so they are confirmed where they are heard, once; confirmed as guessed, they came again.
     */
    @Test
    void wordsAtTheWindowEndAreNotConfirmedBeforeTheyAreHeard() {
        List<TranscriptEvent.Final> finals = stream(8, 11, OPTIONS);

        assertThat(text(finals)).isEqualTo(reference(8, 11));
    }

    /**
     * Sentences 1 and 2: with one or two seconds heard, the model takes them for other sentences it knows, the same way
     * in consecutive windows, but unsure of the first words. Without the probability check LocalAgreement confirms
     * those wrong words; with it (the default) they wait for a window that hears them right, and the text is the
     * file's, confirmed while the sentences go on.
     */
    @Test
    void unsureWordsWaitForAWindowThatHearsThemRight() {
        List<TranscriptEvent.Final> checked = stream(0, 1, OPTIONS);
        List<TranscriptEvent.Final> unchecked = stream(0, 1, OPTIONS.toBuilder().minWordProbability(0).build());

        assertThat(text(checked)).isEqualTo(reference(0, 1));
        assertThat(checked).as("words confirmed before their utterance ends").hasSizeGreaterThan(2);
        assertThat(text(unchecked)).isNotEqualTo(reference(0, 1));
    }

    /**
     * Sentences 1 and 2 again: confirming each utterance when it ends, from its whole audio, gives the file's text, each
     * {@code Final} after its sentence, whatever the probabilities.
     */
    @Test
    void utteranceFinalsAreAsGoodAsTheFile() {
        List<TranscriptEvent.Final> finals = stream(0, 1,
                OPTIONS.toBuilder().utteranceFinals(true).minWordProbability(0).build());

        assertThat(text(finals)).isEqualTo(reference(0, 1));
        assertThat(finals).hasSize(2);
    }

    /** Sentences {@code first} to {@code last} (0-based) with the silence around them, at real-time pace. */
    private static List<TranscriptEvent.Final> stream(int first, int last, StreamingOptions options) {
        int from = Math.max(0, (int) ((Double.parseDouble(sentences.get(first)[0]) - 0.5) * RATE));
        int to = Math.min(longForm.length, (int) (Double.parseDouble(sentences.get(last)[1]) * RATE) + RATE / 2 * 3);
        float[] audio = Arrays.copyOfRange(longForm, from, to);
        WindowTranscriber engine = WindowTranscriber.of(provider, options.decoding());
        OnlineProcessor processor = new OnlineProcessor(options, vad, VadParameters.defaults());
        List<TranscriptEvent> events = new ArrayList<>();
        int chunk = RATE / 10;
        for (int at = 0; at < audio.length; at += chunk) {
            processor.insert(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + chunk)));
            while (processor.due()) {
                events.addAll(step(processor, engine));
            }
        }
        processor.endOfAudio();
        while (processor.due() || processor.untranscribed().isPositive()) {
            events.addAll(step(processor, engine));
        }
        events.addAll(processor.finish());
        return events.stream().filter(TranscriptEvent.Final.class::isInstance).map(TranscriptEvent.Final.class::cast)
                .toList();
    }

    private static List<TranscriptEvent> step(OnlineProcessor processor, WindowTranscriber engine) {
        OnlineProcessor.Window window = processor.window();
        List<Segment> segments = engine.transcribe(window.samples(), window.prompt()).await().atMost(AWAIT);
        return processor.accept(window, segments);
    }

    private static String reference(int first, int last) {
        StringBuilder text = new StringBuilder();
        for (int i = first; i <= last; i++) {
            text.append(' ').append(sentences.get(i)[2]);
        }
        return text.toString().strip();
    }

    private static String text(List<TranscriptEvent.Final> finals) {
        StringBuilder text = new StringBuilder();
        finals.forEach(f -> text.append(f.text()));
        return text.toString().strip();
    }
}
