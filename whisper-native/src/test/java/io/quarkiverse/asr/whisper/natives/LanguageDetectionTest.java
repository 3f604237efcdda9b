package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link WhisperState#detectLanguage}: spectrogram, encoder and one decoder step, without transcribing. */
class LanguageDetectionTest {

    private static final float[] JFK = TestData.pcm16kMono(TestData.JFK);

    private static WhisperLibrary library;
    private static WhisperContext multilingual;

    @BeforeAll
    static void load() {
        library = WhisperLibrary.bundled();
        multilingual = library.loadModel(TestData.TINY, ContextParams.defaults());
    }

    @AfterAll
    static void close() {
        multilingual.close();
    }

    @Test
    void ranksEveryLanguage() {
        LanguageDetection detection;
        try (WhisperState state = multilingual.newState()) {
            detection = state.detectLanguage(JFK, 2);
            // the state still transcribes afterwards
            assertEquals("en", state.full(JFK, FullParams.builder().language("en").threads(2).build(),
                    FullCallbacks.NONE).language());
        }

        List<LanguageDetection.Probability> probabilities = detection.probabilities();
        assertEquals(library.bindings().langMaxId() + 1, probabilities.size());
        assertEquals(library.languages().size(), probabilities.size());
        double sum = probabilities.stream().mapToDouble(LanguageDetection.Probability::probability).sum();
        assertEquals(1.0, sum, 1e-3);
        for (int i = 1; i < probabilities.size(); i++) {
            assertTrue(probabilities.get(i - 1).probability() >= probabilities.get(i).probability(), "sorted");
        }
        LanguageDetection.Probability best = probabilities.getFirst();
        assertEquals(best.probability(), probabilities.stream()
                .filter(p -> p.languageId() == detection.languageId()).findFirst().orElseThrow().probability());
        assertEquals(library.languages().get(detection.languageId()), detection.language());
        assertTrue(probabilities.stream().allMatch(p -> library.languages().get(p.languageId()).equals(p.language())));
    }

    @Test
    void englishOnlyModelsCannotIdentifyLanguages() {
        try (WhisperContext englishOnly = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
                WhisperState state = englishOnly.newState()) {
            var e = assertThrows(UnsupportedOperationException.class, () -> state.detectLanguage(JFK, 2));
            assertTrue(e.getMessage().contains("English-only"), e.getMessage());
        }
    }

    @Test
    void refusesBadArgumentsAndClosedStates() {
        WhisperState state = multilingual.newState();
        assertThrows(IllegalArgumentException.class, () -> state.detectLanguage(new float[0], 2));
        assertThrows(IllegalArgumentException.class, () -> state.detectLanguage(JFK, 0));
        state.close();
        assertThrows(IllegalStateException.class, () -> state.detectLanguage(JFK, 2));
    }
}
