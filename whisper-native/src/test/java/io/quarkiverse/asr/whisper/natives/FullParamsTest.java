package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every whisper_full_params option reachable from {@link FullParams}, written where the family has it. */
class FullParamsTest {

    /** Every option set, none to its default. */
    private static final FullParams EVERYTHING = FullParams.builder()
            .strategy(FullParams.Strategy.BEAM_SEARCH)
            .threads(3)
            .language("de")
            .translate(true)
            .detectLanguage(false)
            .initialPrompt("Ich bin ein Berliner")
            .promptTokens(50, 51, 52)
            .temperature(0.3f)
            .temperatureInc(0.1f)
            .beamSize(4)
            .patience(1.5f)
            .bestOf(3)
            .noTimestamps(true)
            .tokenTimestamps(true)
            .tholdPt(0.02f)
            .tholdPtsum(0.03f)
            .noContext(false)
            .singleSegment(true)
            .maxLen(42)
            .splitOnWord(true)
            .maxTokens(17)
            .suppressBlank(false)
            .suppressNonSpeechTokens(true)
            .offsetMs(1000)
            .durationMs(5000)
            .audioCtx(768)
            .maxTextContext(64)
            .entropyThreshold(2.0f)
            .logprobThreshold(-0.5f)
            .noSpeechThreshold(0.7f)
            .lengthPenalty(0.8f)
            .maxInitialTs(0.5f)
            .suppressRegex("[0-9]+")
            .tdrzEnable(true)
            .build();

    private static WhisperLibrary library;
    private static WhisperContext englishOnly;

    @BeforeAll
    static void load() {
        library = WhisperLibrary.bundled();
        englishOnly = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
    }

    @AfterAll
    static void close() {
        englishOnly.close();
    }

    @Test
    void everyOptionLandsInItsField() {
        WhisperBindings bindings = library.bindings();
        MemorySegment memory = bindings.fullDefaultParamsByRef(WhisperFullParamsStruct.STRATEGY_BEAM_SEARCH);
        try (Arena arena = Arena.ofConfined()) {
            var params = new WhisperFullParamsStruct(memory, bindings.family());
            EVERYTHING.writeTo(params, arena);
            assertWritten(params);
        } finally {
            bindings.freeParams(memory);
        }
    }

    @Test
    void the181LayoutTakesTheSameOptionsAndCarryInitialPrompt() {
        try (Arena arena = Arena.ofConfined()) {
            var params = new WhisperFullParamsStruct(arena.allocate(WhisperFullParamsStruct.LAYOUT_1_8_1),
                    WhisperFullParamsStruct.Family.V1_8_1);
            FullParams.builder().carryInitialPrompt(true).build().writeTo(params, arena);
            assertTrue(params.carryInitialPrompt());
            assertEquals(0, params.promptTokens().address(), "the field after it");

            EVERYTHING.writeTo(params, arena);
            assertWritten(params);
            assertFalse(params.vad(), "VAD is run by the binding, not through the struct");
        }
    }

    private static void assertWritten(WhisperFullParamsStruct params) {
        assertEquals(3, params.nThreads());
        assertTrue(params.translate());
        assertFalse(params.detectLanguage());
        assertEquals("Ich bin ein Berliner", params.initialPrompt().reinterpret(100).getString(0));
        assertEquals(3, params.promptNTokens());
        assertArrayEquals(new int[] { 50, 51, 52 },
                params.promptTokens().reinterpret(12).toArray(ValueLayout.JAVA_INT));
        assertEquals(0.3f, params.temperature());
        assertEquals(0.1f, params.temperatureInc());
        assertEquals(4, params.beamSearchBeamSize());
        assertEquals(1.5f, params.beamSearchPatience());
        assertEquals(3, params.greedyBestOf());
        assertTrue(params.noTimestamps());
        assertTrue(params.tokenTimestamps());
        assertEquals(0.02f, params.tholdPt());
        assertEquals(0.03f, params.tholdPtsum());
        assertFalse(params.noContext());
        assertTrue(params.singleSegment());
        assertEquals(42, params.maxLen());
        assertTrue(params.splitOnWord());
        assertEquals(17, params.maxTokens());
        assertFalse(params.suppressBlank());
        assertTrue(params.suppressNonSpeechTokens());
        assertEquals(1000, params.offsetMs());
        assertEquals(5000, params.durationMs());
        assertEquals(768, params.audioCtx());
        assertEquals(64, params.nMaxTextCtx());
        assertEquals(2.0f, params.entropyThold());
        assertEquals(-0.5f, params.logprobThold());
        assertEquals(0.7f, params.noSpeechThold());
        assertEquals(0.8f, params.lengthPenalty());
        assertEquals(0.5f, params.maxInitialTs());
        assertEquals("[0-9]+", params.suppressRegex().reinterpret(100).getString(0));
        assertTrue(params.tdrzEnable());
        assertFalse(params.printProgress());
        assertFalse(params.printTimestamps());
    }

    @Test
    void carryInitialPromptIsRefusedBefore181() {
        var e = assertThrows(WhisperLibraryException.class, () -> transcribe(FullParams.builder().threads(2)
                .initialPrompt("Kennedy").carryInitialPrompt(true).build()));
        assertTrue(e.getMessage().contains("carryInitialPrompt needs whisper.cpp 1.8.1"), e.getMessage());
        assertTrue(e.getMessage().contains("1.7.0 to 1.7.5"), e.getMessage());
    }

    @Test
    void vadIsRefusedBefore176() {
        var e = assertThrows(WhisperLibraryException.class, () -> transcribe(FullParams.builder().threads(2).vad(true)
                .vadModelPath(TestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin")).build()));
        assertTrue(e.getMessage().contains("needs whisper.cpp 1.7.6"), e.getMessage());
    }

    @Test
    void transcribesWithPromptTokensAndTheOtherOptions() {
        int[] prompt = englishOnly.tokenize(" ask not what your country can do for you");
        FullResult result = transcribe(FullParams.builder().threads(2).initialPrompt("Inaugural address.")
                .promptTokens(prompt).patience(1.0f).strategy(FullParams.Strategy.BEAM_SEARCH).beamSize(2)
                .tokenTimestamps(true).tholdPt(0.02f).tholdPtsum(0.02f).maxTextContext(64).maxInitialTs(0.5f)
                .lengthPenalty(0.5f).suppressRegex("[0-9]+").noContext(false).build());
        assertEquals("en", result.language());
    }

    @Test
    void promptTokensOutsideTheVocabularyAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> transcribe(FullParams.builder().threads(2).promptTokens(1, englishOnly.vocabularySize()).build()));
        assertTrue(e.getMessage().contains("not in the vocabulary"), e.getMessage());
    }

    @Test
    void validatesWhatNeedsNoLibrary() {
        assertThrows(IllegalArgumentException.class, () -> FullParams.builder().promptTokens(1, -2).build());
        var e = assertThrows(IllegalArgumentException.class, () -> FullParams.builder().vad(true).build());
        assertTrue(e.getMessage().contains("vadModelPath"), e.getMessage());
        assertEquals(List.of(7, 8), FullParams.builder().promptTokens(7, 8).build().promptTokens());
        assertEquals(Path.of("silero.bin"), FullParams.builder().vadModelPath(Path.of("silero.bin")).build().vadModelPath());
        assertThrows(IllegalArgumentException.class, () -> new VadParams(1.5f, 250, 100, Float.MAX_VALUE, 30, 0.1f));
    }

    private static FullResult transcribe(FullParams params) {
        try (WhisperState state = englishOnly.newState()) {
            return state.full(TestData.pcm16kMono(TestData.JFK), params, FullCallbacks.NONE);
        }
    }
}
