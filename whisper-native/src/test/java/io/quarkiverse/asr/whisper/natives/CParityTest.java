package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.asr.whisper.natives.parity.WhisperParityProgram;
import io.quarkiverse.asr.whisper.natives.parity.WhisperParityProgram.Options;
import io.quarkiverse.asr.whisper.natives.parity.WhisperParityProgram.Output;
import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;

/**
 * The binding against whisper.cpp called from C: {@code whisper_parity.c}, built with gcc against the very
 * libwhisper and libggml files this JVM loaded, transcribes the same samples with the same options as
 * {@link WhisperState#full}, and the two results must be identical token for token (ids, text bytes, times, and
 * the bits of each probability). The random-weight model makes the token streams long and audio-dependent, so a
 * binding that mixed up a field, a string or a float would show here; the espeak mini model, trained on the
 * synthetic sentences, adds real text, which must be the sentence's.
 */
class CParityTest {

    private static final Path WORK = Path.of("target", "parity").toAbsolutePath();
    private static final Path RANDOM_WEIGHTS = WORK.resolve("random-weights-42.bin");
    /** Sentences the espeak mini model transcribes word-perfectly with timestamps, greedy and beam. */
    private static final List<String> ESPEAK_SENTENCES = List.of("s01", "s06", "s13", "s23");

    static WhisperLibrary library;
    /** The model file of each loaded context. */
    static final Map<Path, WhisperContext> contexts = new LinkedHashMap<>();
    static WhisperParityProgram program;

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        assumeTrue(WhisperParityProgram.canBuild(), "gcc is not available (or this is not Linux): C parity skipped");
        RandomWeightModel.write(TestData.TINY_EN, RANDOM_WEIGHTS, 42);
        library = WhisperLibrary.bundled();
        for (Path model : List.of(RANDOM_WEIGHTS, TestData.ESPEAK_MINI)) {
            contexts.put(model, library.loadModel(model, ContextParams.defaults()));
        }
        program = WhisperParityProgram.build(library.libraryFile(), WORK);
    }

    @AfterAll
    static void free() {
        contexts.values().forEach(WhisperContext::close);
    }

    /**
     * On the random-weight model, jfk.wav in several modes, and every synthetic sentence with greedy decoding and
     * with beam search; on the espeak mini model, a few synthetic sentences both ways (null: no text is expected).
     * Mostly one thread: ggml's OpenMP threads spin at barriers, which gets slow on a machine busy with other builds.
     */
    static Stream<Arguments> cases() {
        Options greedy = Options.greedy(1);
        Options beam = Options.beamSearch(1, 3);
        Stream<Arguments> jfk = Stream.of(
                Arguments.of("jfk.wav", RANDOM_WEIGHTS, TestData.JFK, tokenTimestamps(Options.greedy(2)), 8, 60, null),
                Arguments.of("jfk.wav", RANDOM_WEIGHTS, TestData.JFK, tokenTimestamps(Options.beamSearch(1, 5)), 8, 60,
                        null),
                Arguments.of("jfk.wav", RANDOM_WEIGHTS, TestData.JFK, new Options(FullParams.Strategy.GREEDY, 1, null, 3,
                        false, true, 0, false, "en"), 1, 15, null),
                Arguments.of("jfk.wav", RANDOM_WEIGHTS, TestData.JFK, new Options(FullParams.Strategy.GREEDY, 2, null,
                        null, true, false, 12, true, "en"), 15, 60, null));
        Stream<Arguments> randomWeights = IntStream.rangeClosed(1, 24)
                .mapToObj(n -> String.format("s%02d", n))
                .flatMap(id -> Stream.of(
                        Arguments.of(id, RANDOM_WEIGHTS, TestData.synthetic(id), greedy, 2, 15, null),
                        Arguments.of(id, RANDOM_WEIGHTS, TestData.synthetic(id), beam, 2, 15, null)));
        Stream<Arguments> espeakMini = ESPEAK_SENTENCES.stream()
                .flatMap(id -> Stream.of(greedy, beam).map(options -> Arguments.of(id + " espeak-mini",
                        TestData.ESPEAK_MINI, TestData.synthetic(id), options, 1, 10, TestData.transcript(id))));
        return Stream.of(jfk, randomWeights, espeakMini).flatMap(cases -> cases);
    }

    private static Options tokenTimestamps(Options options) {
        return new Options(options.strategy(), options.threads(), options.beamSize(), options.bestOf(), true,
                options.noTimestamps(), options.maxLen(), options.splitOnWord(), options.language());
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("cases")
    void javaAndCGiveIdenticalTokens(String name, Path model, Path wav, Options options, int minSegments, int minTokens,
            String transcript) throws IOException, InterruptedException {
        float[] pcm = TestData.pcm16kMono(wav);
        Path samples = WhisperParityProgram.writeSamples(pcm, WORK.resolve(wav.getFileName() + ".f32"));
        FullResult java;
        try (WhisperState state = contexts.get(model).newState()) {
            java = state.full(pcm, options.fullParams(), FullCallbacks.NONE);
        }
        Output c = program.run(model, samples, options, 1);

        Path libwhisper = library.libraryFile().toRealPath();
        assertEquals(Set.of(libwhisper, libwhisper.resolveSibling("libggml.so")),
                Set.copyOf(c.libraries().stream().map(CParityTest::realPath).toList()),
                "the C program must run the libraries the JVM loaded");
        List<String> differences = c.differences(java);
        assertTrue(differences.isEmpty(), () -> name + " " + options + ": " + differences.size()
                + " differences, the first " + differences.subList(0, Math.min(20, differences.size())));
        assertTrue(c.segments().size() >= minSegments, "segments: " + c.segments().size());
        assertTrue(c.tokenCount() >= minTokens, "tokens: " + c.tokenCount());
        assertTrue(c.segments().stream().flatMap(s -> s.tokens().stream())
                .anyMatch(t -> t.pBits() != Float.floatToRawIntBits(1f)),
                "some probabilities below 1 make the bit comparison meaningful");
        if (transcript != null) {
            assertFalse(java.text().isBlank(), name);
            assertEquals(TestData.words(transcript), TestData.words(java.text()), name + " " + options);
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new AssertionError("The C program reports a library that does not exist: " + path, e);
        }
    }
}
