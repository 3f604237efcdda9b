package io.quarkiverse.asr.spi.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.audio.WavDecoder;

/**
 * The pure-Java Silero VAD on real audio. Its parity with whisper.cpp's own VAD, window by window, is checked in
 * whisper-native ({@code VadParityTest}), where the whisper.cpp 1.9.3 build can be loaded.
 */
class SileroVadTest {

    static final Path SHARED = Path.of(System.getProperty("asr.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path MODEL = SHARED.resolve("models/ggml-silero-v6.2.0.bin");

    private static SileroVad silero;

    @BeforeAll
    static void load() {
        silero = SileroVad.load(MODEL);
    }

    @AfterAll
    static void close() {
        silero.close();
    }

    static float[] pcm(String audio) {
        try {
            var decoded = new WavDecoder().decode(Files.readAllBytes(SHARED.resolve("audio").resolve(audio)));
            assertThat(decoded.sampleRate()).isEqualTo(VoiceActivityDetector.SAMPLE_RATE);
            return decoded.samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void findsTheReferenceSpeechInJfk() {
        assertThat(silero.detectSpeech(pcm("jfk.wav"), VadParameters.defaults())).containsExactly(
                new SpeechSegment(0.32, 2.27), new SpeechSegment(3.27, 4.41), new SpeechSegment(5.38, 7.68),
                new SpeechSegment(8.16, 10.62));
    }

    /**
     * Each of the 24 sentences, 0.8 s apart, is one segment: it starts with the sentence and ends before the
     * sentence's end in long-form.tsv, which includes the synthesiser's trailing silence (0.2 to 0.4 s).
     */
    @Test
    void findsEachSentenceOfTheLongForm() throws IOException {
        List<double[]> sentences = Files.readAllLines(SHARED.resolve("audio/synthetic/long-form.tsv")).stream().skip(1)
                .map(line -> line.split("\t")).map(f -> new double[] { Double.parseDouble(f[0]), Double.parseDouble(f[1]) })
                .toList();

        List<SpeechSegment> speech = silero.detectSpeech(pcm("synthetic/long-form.wav"), VadParameters.defaults());

        assertThat(speech).hasSize(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            assertThat(speech.get(i).start()).as("start of sentence %d", i + 1).isCloseTo(sentences.get(i)[0], within(0.1));
            assertThat(speech.get(i).end()).as("end of sentence %d", i + 1)
                    .isBetween(sentences.get(i)[1] - 0.5, sentences.get(i)[1]);
        }
    }

    @Test
    void silenceAndNoiseAreNotSpeech() {
        float[] silence = new float[5 * 16_000];
        Random random = new Random(42);
        float[] noise = new float[5 * 16_000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * 0.05);
        }
        for (float[] audio : List.of(silence, noise)) {
            float[] probabilities = silero.speechProbabilities(audio);
            assertThat(probabilities).hasSize(157);
            for (float probability : probabilities) {
                assertThat(probability).isBetween(0f, 0.2f);
            }
            assertThat(silero.detectSpeech(audio, VadParameters.defaults())).isEmpty();
        }
        assertThat(silero.speechProbabilities(new float[0])).isEmpty();
    }

    /** Windows in order through one classifier are what speechProbabilities computes; reset starts afresh. */
    @Test
    void aClassifierCarriesItsStateFromWindowToWindow() {
        float[] jfk = pcm("jfk.wav");
        float[] all = silero.speechProbabilities(jfk);
        try (FrameClassifier classifier = silero.newClassifier()) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i + 512 <= jfk.length; i += 512) {
                    assertThat(classifier.next(jfk, i)).as("window %d", i / 512).isEqualTo(all[i / 512]);
                }
                classifier.reset();
            }
            // the same window with the state of a different past gives a different answer
            float fresh = classifier.next(jfk, 512 * 100);
            assertThat(fresh).isNotEqualTo(all[100]);
            assertThatThrownBy(() -> classifier.next(jfk, jfk.length - 100)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void classifiersOfOneModelAreIndependent() throws Exception {
        float[] jfk = pcm("jfk.wav");
        float[] expected = silero.speechProbabilities(jfk);
        List<Thread> threads = new ArrayList<>();
        List<float[]> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> results.add(silero.speechProbabilities(jfk))));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(results).hasSize(4).allSatisfy(result -> assertThat(result).containsExactly(expected));
    }

    @Test
    void refusesFilesThatAreNotSileroV6(@TempDir Path dir) throws IOException {
        byte[] model = Files.readAllBytes(MODEL);
        for (int length : new int[] { 0, 3, 20, 60, model.length / 2, model.length - 1 }) {
            Path truncated = Files.write(dir.resolve("truncated-" + length + ".bin"), Arrays.copyOf(model, length));
            assertThatThrownBy(() -> SileroVad.load(truncated)).isInstanceOf(ModelException.class)
                    .hasMessageContaining(truncated.toString());
        }
        assertThatThrownBy(() -> SileroVad.load(SHARED.resolve("models/for-tests-ggml-tiny.en.bin")))
                .isInstanceOf(ModelException.class).hasMessageContaining("not a Silero VAD v6 ggml model");
        assertThatThrownBy(() -> SileroVad.load(dir.resolve("missing.bin"))).isInstanceOf(ModelException.class)
                .hasMessageContaining("missing.bin");
    }

    @Test
    void aClosedModelRefusesWork() {
        SileroVad closed = SileroVad.load(MODEL);
        FrameClassifier open = closed.newClassifier();
        closed.close();
        assertThatThrownBy(closed::newClassifier).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> closed.speechProbabilities(new float[512])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> open.next(new float[512], 0)).isInstanceOf(IllegalStateException.class);
    }
}
