package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.whisper.natives.testjvm.ForkedJvm;
import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;

/**
 * The shared audio (see ../shared/README.md) and the seeded random-weight models made from its test-sized ones, which
 * decode real audio into non-empty, deterministic, audio-dependent text.
 */
final class TestData {

    static final Path SHARED = Path.of(System.getProperty("asr.shared.dir", "../../shared")).toAbsolutePath()
            .normalize();
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    /** 4.4 s, one sentence. */
    static final Path SHORT = SHARED.resolve("audio/synthetic/s01.wav");
    static final Path LONG_FORM = SHARED.resolve("audio/synthetic/long-form.wav");
    static final Path SYNTHETIC = SHARED.resolve("audio/synthetic");
    /**
     * The whisper model trained on espeak-ng speech of the synthetic sentences' words (../shared/models/espeak-mini.md):
     * real text for the synthetic sentences, nothing meaningful for any other audio.
     */
    static final Path ESPEAK_MINI_MODEL = SHARED.resolve("models/for-tests-ggml-espeak-mini.en.bin");
    /** whisper.cpp's ggml conversion of Silero VAD v6.2.0. */
    static final Path VAD_MODEL = SHARED.resolve("models/ggml-silero-v6.2.0.bin");
    /** The whisper.cpp 1.9.3 build for Linux x86_64 (../shared/whisper.cpp/README.md): it has whisper.cpp's VAD. */
    static final Path WHISPER_1_9_3 = SHARED.resolve("whisper.cpp/1.9.3/linux-x86_64/libwhisper.so.1");
    static final Path NATIVE_CACHE = Path.of("target", "native-cache").toAbsolutePath();

    private static final Path MODELS = Path.of("target", "random-weight-models").toAbsolutePath();

    private TestData() {
    }

    /** The random-weight model from the {@code tiny.en} template, seed 42, written on first use in this JVM. */
    static Path englishModel() {
        return write("for-tests-ggml-tiny.en.bin", "random-tiny.en.bin");
    }

    /** The same from the multilingual {@code tiny} template: it detects and reports a language ({@code en}). */
    static Path multilingualModel() {
        return write("for-tests-ggml-tiny.bin", "random-tiny.bin");
    }

    /** The synthetic sentences' reference texts by id ({@code s01} to {@code s24}), in order. */
    static Map<String, String> syntheticTranscripts() {
        Map<String, String> references = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(SYNTHETIC.resolve("transcripts.tsv"))) {
                String[] fields = line.split("\t", 2);
                references.put(fields[0], fields[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return references;
    }

    private static Path write(String template, String target) {
        return RandomWeightModel.writeOnce(SHARED.resolve("models").resolve(template), MODELS.resolve(target), 42);
    }

    /** One thread per transcription, the bundled library extracted under target/. */
    static WhisperSettings settings(int maxConcurrent, int maxQueued, Optional<Duration> timeout) {
        return new WhisperSettings(Optional.empty(), Optional.of(NATIVE_CACHE), ComputeBackend.CPU, 0, Optional.empty(),
                true, maxConcurrent, maxQueued, timeout, 1, TranscriptionOptions.defaults());
    }

    /**
     * Ten minutes of speech (long-form.wav five times): twenty whisper windows, ten seconds of decoding or more, and
     * half a second of spectrogram before the first, during which whisper.cpp does not look for aborts.
     */
    static AudioInput longAudio() {
        float[] once = AudioInput.of(LONG_FORM).decode(WhisperAsrProvider.SAMPLE_RATE).samples();
        float[] samples = new float[once.length * 5];
        for (int offset = 0; offset < samples.length; offset += once.length) {
            System.arraycopy(once, 0, samples, offset, once.length);
        }
        return AudioInput.ofSamples(samples, WhisperAsrProvider.SAMPLE_RATE);
    }

    /**
     * Runs {@code main} of {@code test} in a child JVM with the whisper.cpp 1.9.3 build's path as its argument (a JVM
     * loads one whisper.cpp library); skips the test where that build cannot run.
     */
    static ForkedJvm.Result runWithWhisperCpp193(Class<?> test) throws Exception {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        assumeTrue(os.startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "the shared whisper.cpp 1.9.3 build is for Linux x86_64");
        assertThat(WHISPER_1_9_3).isRegularFile();
        return ForkedJvm.run(test, List.of("--enable-native-access=ALL-UNNAMED", "-Dasr.shared.dir=" + SHARED), Map.of(),
                Duration.ofMinutes(2), WHISPER_1_9_3.toString());
    }

    /** Polls {@code condition} until it holds or {@code limit} has passed; whether it held. */
    static boolean await(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause();
        }
        return true;
    }

    /** A millisecond: the decoders need the CPU more than this thread does. */
    static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
