package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on real audio. The shared test models run every stage but are untrained and produce
 * no text, so only {@code WHISPER_TEST_MODEL} (a trained ggml model) checks words.
 */
class TranscriptionTest {

    private static final float[] JFK = TestData.pcm16kMono(TestData.JFK);

    private static WhisperLibrary library;
    private static WhisperContext englishOnly;
    private static WhisperContext multilingual;

    @BeforeAll
    static void loadModels() {
        library = WhisperLibrary.bundled();
        englishOnly = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
        multilingual = library.loadModel(TestData.TINY, ContextParams.defaults());
    }

    @AfterAll
    static void closeModels() {
        englishOnly.close();
        multilingual.close();
    }

    @Test
    void describesTheModels() {
        assertFalse(englishOnly.isMultilingual());
        assertTrue(multilingual.isMultilingual());
        assertEquals("tiny", englishOnly.modelType());
        assertEquals(51864, englishOnly.vocabularySize());
        assertEquals(51865, multilingual.vocabularySize());
        assertEquals(TestData.TINY_EN, englishOnly.modelFile());
    }

    @Test
    void tokenizesText() {
        // byte-pair tokens of the English-only (GPT-2) vocabulary; the multilingual one has other ids
        assertArrayEquals(new int[] { 1870, 523, 616, 5891, 3399 }, englishOnly.tokenize("And so my fellow Americans"));
        assertEquals(5, multilingual.tokenize("And so my fellow Americans").length);
        assertArrayEquals(new int[0], englishOnly.tokenize(""));
        String longText = " ask not what your country can do for you".repeat(200);
        int[] tokens = englishOnly.tokenize(longText);
        assertEquals(9 * 200, tokens.length);
        assertTrue(Arrays.stream(multilingual.tokenize("Ich bin ein Berliner, ça va? 東京"))
                .allMatch(token -> token >= 0 && token < multilingual.vocabularySize()));
    }

    @Test
    void englishOnlyModelRunsInEnglishAndReportsProgress() {
        List<Integer> progress = new ArrayList<>();
        FullResult result;
        try (WhisperState state = englishOnly.newState()) {
            result = state.full(JFK, FullParams.builder().threads(2).build(), new FullCallbacks() {
                @Override
                public void onProgress(int percent) {
                    progress.add(percent);
                }
            });
        }
        assertEquals("en", result.language());
        assertEquals(0, result.languageId());
        assertFalse(progress.isEmpty(), "progress callback was not called");
        assertEquals(0, progress.getFirst());
        assertTrue(progress.stream().allMatch(p -> p >= 0 && p <= 100), progress.toString());
    }

    @Test
    void multilingualModelUsesTheGivenLanguage() {
        try (WhisperState state = multilingual.newState()) {
            FullResult result = state.full(JFK, FullParams.builder().language("en").threads(2).build(),
                    FullCallbacks.NONE);
            assertEquals("en", result.language());
        }
    }

    @Test
    void multilingualModelDetectsALanguage() {
        try (WhisperState state = multilingual.newState()) {
            FullResult result = state.full(JFK, FullParams.builder().threads(2).build(), FullCallbacks.NONE);
            // untrained weights pick some language; it must be one whisper.cpp knows
            assertTrue(library.languages().contains(result.language()), result.language());
            assertEquals(result.language(), library.languages().get(result.languageId()));
        }
    }

    @Test
    void beamSearchRuns() {
        try (WhisperState state = englishOnly.newState()) {
            FullResult result = state.full(JFK, FullParams.builder()
                    .strategy(FullParams.Strategy.BEAM_SEARCH)
                    .beamSize(2)
                    .threads(2)
                    .tokenTimestamps(true)
                    .build(), FullCallbacks.NONE);
            assertEquals("en", result.language());
        }
    }

    @Test
    void aStateServesSeveralTranscriptions() {
        try (WhisperState state = englishOnly.newState()) {
            for (int i = 0; i < 2; i++) {
                assertEquals("en", state.full(JFK, FullParams.builder().threads(2).build(), FullCallbacks.NONE).language());
            }
        }
    }

    @Test
    void transcribesJfkWithATrainedModel() {
        String model = System.getenv("WHISPER_TEST_MODEL");
        assumeTrue(model != null, "WHISPER_TEST_MODEL is not set: skipped the check of transcribed words");
        List<SegmentData> streamed = new ArrayList<>();
        try (WhisperContext context = library.loadModel(Path.of(model), ContextParams.defaults());
                WhisperState state = context.newState()) {
            FullResult result = state.full(JFK, FullParams.builder().language("en").build(), new FullCallbacks() {
                @Override
                public void onNewSegment(SegmentData segment) {
                    streamed.add(segment);
                }
            });
            String text = result.text().toLowerCase(Locale.ROOT);
            assertTrue(text.contains("ask not what your country can do for you"), text);
            assertEquals(result.segments(), streamed);
            SegmentData first = result.segments().getFirst();
            assertTrue(first.t1Centis() > first.t0Centis());
            assertTrue(first.tokens().stream().anyMatch(TokenData::special));
            assertTrue(first.tokens().stream().anyMatch(token -> !token.special() && !token.text().isBlank()));
        }
    }
}
