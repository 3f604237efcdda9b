package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.vad.SileroVad;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.whisper.natives.testjvm.ForkedJvm;

/**
 * whisper.cpp 1.9.3's own VAD (the real build in {@code ../shared/whisper.cpp/1.9.3}, run in a child JVM since a
 * process holds one whisper library) against the pure-Java {@link SileroVad} on the same model file: per-window
 * probabilities within 1e-3, and the same segments, on real speech and on the two-minute synthetic file.
 */
class VadParityTest {

    private static final Path LIBRARY = TestData.SHARED.resolve("whisper.cpp/1.9.3/linux-x86_64/libwhisper.so.1");
    private static final Path SILERO = TestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin");
    private static final Map<String, Path> AUDIO = Map.of("jfk", TestData.JFK, "long-form", TestData.LONG_FORM);

    /** Per audio file: whisper.cpp's probabilities and segments ("t0-t1" in centiseconds). */
    private static Map<String, float[]> nativeProbabilities;
    private static Map<String, List<String>> nativeSegments;

    @BeforeAll
    static void runWhisperCpp() throws Exception {
        assumeTrue(Files.isRegularFile(LIBRARY) && System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").equals("amd64"), "no whisper.cpp 1.9.3 build for this platform: skipped");
        ForkedJvm.Result child = ForkedJvm.run(VadParityTest.class, List.of("--enable-native-access=ALL-UNNAMED",
                "-Dasr.shared.dir=" + TestData.SHARED, "-Dorg.jboss.logging.provider=jdk"), Map.of(),
                Duration.ofSeconds(120), LIBRARY.toString());
        assertEquals(0, child.exit(), child.toString());
        nativeProbabilities = new LinkedHashMap<>();
        nativeSegments = new LinkedHashMap<>();
        for (String line : child.stdout().lines().toList()) {
            String[] words = line.split(" ");
            if (words[0].equals("PROBABILITIES")) {
                float[] values = new float[words.length - 2];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(words[i + 2], 16));
                }
                nativeProbabilities.put(words[1], values);
            } else if (words[0].equals("SEGMENTS")) {
                nativeSegments.put(words[1], List.of(words).subList(2, words.length));
            }
        }
        assertEquals(AUDIO.keySet(), nativeProbabilities.keySet(), child.toString());
    }

    /** The child: whisper.cpp's detection on each file, probabilities as float bits. */
    public static void main(String[] args) {
        WhisperLibrary library = WhisperLibrary.load(Path.of(args[0]));
        try (WhisperVad vad = library.loadVadModel(SILERO, 2)) {
            AUDIO.forEach((name, file) -> {
                WhisperVad.Detection detection = vad.detect(TestData.pcm16kMono(file), VadParams.defaults());
                StringBuilder line = new StringBuilder("PROBABILITIES " + name);
                for (float probability : detection.probabilities()) {
                    line.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(probability)));
                }
                System.out.println(line);
                System.out.println("SEGMENTS " + name + " " + detection.segments().stream()
                        .map(speech -> speech.t0Centis() + "-" + speech.t1Centis()).collect(Collectors.joining(" ")));
            });
        }
    }

    @Test
    void whisperCppFindsTheReferenceSpeechInJfk() {
        assertEquals(List.of("32-227", "327-441", "538-768", "816-1062"), nativeSegments.get("jfk"));
    }

    @Test
    void javaProbabilitiesMatchWhisperCppWithin1e3() {
        try (SileroVad silero = SileroVad.load(SILERO)) {
            for (String name : AUDIO.keySet()) {
                float[] expected = nativeProbabilities.get(name);
                float[] actual = silero.speechProbabilities(TestData.pcm16kMono(AUDIO.get(name)));
                assertEquals(expected.length, actual.length, name);
                double maxDifference = 0;
                for (int i = 0; i < expected.length; i++) {
                    maxDifference = Math.max(maxDifference, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(maxDifference < 1e-3, name + ": max difference " + maxDifference);
                // the comparison is not vacuous: the file has both speech and silence
                assertTrue(max(expected) > 0.9 && min(expected) < 0.1, name + ": " + Arrays.toString(expected));
                System.out.printf("%s: %d windows, max |java - whisper.cpp| = %.2e%n", name, expected.length,
                        maxDifference);
            }
        }
    }

    @Test
    void javaSegmentsMatchWhisperCpp() {
        try (SileroVad silero = SileroVad.load(SILERO)) {
            for (String name : AUDIO.keySet()) {
                List<String> actual = new ArrayList<>();
                for (var speech : silero.detectSpeech(TestData.pcm16kMono(AUDIO.get(name)), VadParameters.defaults())) {
                    actual.add(Math.round(speech.start() * 100) + "-" + Math.round(speech.end() * 100));
                }
                assertEquals(nativeSegments.get(name), actual, name);
            }
        }
    }

    private static float max(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float value : values) {
            max = Math.max(max, value);
        }
        return max;
    }

    private static float min(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        for (float value : values) {
            min = Math.min(min, value);
        }
        return min;
    }
}
