package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * probabilities within 1e-3, and the same segments, on real speech and on the two-minute synthetic file. That
 * whisper.cpp finds jfk's reference speech is {@link WhisperCpp193Test}'s.
 */
class VadParityTest {

    private static final Path SILERO = TestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin");
    private static final Map<String, Path> AUDIO = Map.of("jfk", TestData.JFK, "long-form", TestData.LONG_FORM);
    /** Other thresholds and durations than the defaults, with a maximum speech length that splits speech. */
    private static final float[] TUNED = { 0.35f, 100, 300, 3f, 100 };

    /** Per audio file: whisper.cpp's probabilities and segments ("t0-t1" in centiseconds) with each parameter set. */
    private static Map<String, float[]> nativeProbabilities;
    private static Map<String, List<String>> nativeSegments;
    private static Map<String, List<String>> nativeTunedSegments;

    @BeforeAll
    static void runWhisperCpp() throws Exception {
        TestData.assumeWhisper193Runs();
        Path results = Files.createDirectories(Path.of("target", "vad-parity")).toAbsolutePath();
        // a generous bound: whisper.cpp needs a few seconds, a busy CI machine many times that
        ForkedJvm.Result child = ForkedJvm.run(VadParityTest.class, List.of("--enable-native-access=ALL-UNNAMED",
                "-Dasr.shared.dir=" + TestData.SHARED, "-Dorg.jboss.logging.provider=jdk"), Map.of(),
                Duration.ofMinutes(10), TestData.WHISPER_1_9_3.toString(), results.toString());
        assertEquals(0, child.exit(), child.toString());
        nativeProbabilities = new LinkedHashMap<>();
        nativeSegments = new LinkedHashMap<>();
        nativeTunedSegments = new LinkedHashMap<>();
        for (String name : AUDIO.keySet()) {
            List<String> lines = Files.readAllLines(results.resolve(name + ".txt"));
            nativeSegments.put(name, words(lines.get(0)));
            nativeTunedSegments.put(name, words(lines.get(1)));
            float[] probabilities = new float[lines.size() - 2];
            for (int i = 0; i < probabilities.length; i++) {
                probabilities[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(lines.get(i + 2), 16));
            }
            nativeProbabilities.put(name, probabilities);
        }
    }

    private static List<String> words(String line) {
        return line.isEmpty() ? List.of() : List.of(line.split(" "));
    }

    /**
     * The child: whisper.cpp's detection on each file, written to {@code <dir>/<name>.txt}: the segments with the
     * default and the tuned parameters on two lines, then each probability's float bits.
     */
    public static void main(String[] args) throws IOException {
        WhisperLibrary library = WhisperLibrary.load(Path.of(args[0]));
        // one thread: ggml's threads spin at a barrier after each 32 ms window, which crawls on a loaded machine
        try (WhisperVad vad = library.loadVadModel(SILERO, 1)) {
            for (var audio : AUDIO.entrySet()) {
                float[] pcm = TestData.pcm16kMono(audio.getValue());
                WhisperVad.Detection detection = vad.detect(pcm, VadParams.defaults());
                VadParams tuned = new VadParams(TUNED[0], (int) TUNED[1], (int) TUNED[2], TUNED[3], (int) TUNED[4], 0.1f);
                List<String> lines = new ArrayList<>();
                lines.add(nativeCentis(detection.segments()));
                lines.add(nativeCentis(vad.detectSpeech(pcm, tuned)));
                for (float probability : detection.probabilities()) {
                    lines.add(Integer.toHexString(Float.floatToRawIntBits(probability)));
                }
                Files.write(Path.of(args[1], audio.getKey() + ".txt"), lines);
            }
        }
    }

    private static String nativeCentis(List<SpeechSegment> segments) {
        return segments.stream().map(speech -> speech.t0Centis() + "-" + speech.t1Centis()).collect(Collectors.joining(" "));
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
                assertTrue(max(expected) > 0.9 && min(expected) < 0.1, name + ": from " + min(expected) + " to " + max(expected));
                System.out.printf("%s: %d windows, max |java - whisper.cpp| = %.2e%n", name, expected.length,
                        maxDifference);
            }
        }
    }

    @Test
    void javaSegmentsMatchWhisperCpp() {
        VadParameters tuned = new VadParameters(TUNED[0], (int) TUNED[1], (int) TUNED[2], TUNED[3], (int) TUNED[4]);
        try (SileroVad silero = SileroVad.load(SILERO)) {
            for (String name : AUDIO.keySet()) {
                float[] pcm = TestData.pcm16kMono(AUDIO.get(name));
                assertEquals(nativeSegments.get(name), javaCentis(silero.detectSpeech(pcm, VadParameters.defaults())), name);
                assertEquals(nativeTunedSegments.get(name), javaCentis(silero.detectSpeech(pcm, tuned)), name + ", tuned");
                assertTrue(!nativeTunedSegments.get(name).equals(nativeSegments.get(name)), name
                        + ": the tuned parameters change nothing");
            }
        }
    }

    private static List<String> javaCentis(List<io.quarkiverse.asr.spi.vad.SpeechSegment> segments) {
        List<String> centis = new ArrayList<>();
        for (var speech : segments) {
            centis.add(Math.round(speech.start() * 100) + "-" + Math.round(speech.end() * 100));
        }
        return centis;
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
