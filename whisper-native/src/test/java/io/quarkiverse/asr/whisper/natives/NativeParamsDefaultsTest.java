package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

/**
 * Reads the bundled whisper.cpp's own defaults through the Java mirrors of its structs and compares them, field
 * by field, with the values whisper_full_default_params / whisper_context_default_params set in v1.7.1
 * (src/whisper.cpp). A wrong offset reads a neighbour's value or padding and fails here.
 */
class NativeParamsDefaultsTest {

    private final WhisperBindings bindings = WhisperLibrary.bundled().bindings();

    @Test
    void structSizesMatchC() {
        assertEquals(264, WhisperFullParamsStruct.LAYOUT_1_7_0.byteSize());
        assertEquals(296, WhisperFullParamsStruct.LAYOUT_1_7_6.byteSize());
        assertEquals(304, WhisperFullParamsStruct.LAYOUT_1_8_1.byteSize());
        assertEquals(48, WhisperContextParamsStruct.LAYOUT.byteSize());
        assertEquals(56, WhisperTokenDataStruct.LAYOUT.byteSize());
        assertEquals(24, WhisperVadParamsStruct.LAYOUT.byteSize());
        assertEquals(12, WhisperVadContextParamsStruct.LAYOUT.byteSize());
    }

    @Test
    void theBundledLibraryUsesThe170Layout() {
        assertEquals(WhisperFullParamsStruct.Family.V1_7_0, bindings.family());
        assertFalse(bindings.family().hasVad());
        assertFalse(bindings.family().hasCarryInitialPrompt());
    }

    @Test
    void greedyDefaults() {
        assertGreedyDefaults(bindings);
    }

    @Test
    void beamSearchDefaults() {
        assertBeamSearchDefaults(bindings);
    }

    static void assertGreedyDefaults(WhisperBindings bindings) {
        MemorySegment memory = bindings.fullDefaultParamsByRef(WhisperFullParamsStruct.STRATEGY_GREEDY);
        try {
            WhisperFullParamsStruct params = new WhisperFullParamsStruct(memory, bindings.family());
            assertEquals(WhisperFullParamsStruct.STRATEGY_GREEDY, params.strategy());
            assertCommonDefaults(params);
            assertEquals(5, params.greedyBestOf());
            assertEquals(-1, params.beamSearchBeamSize());
            assertEquals(-1.0f, params.beamSearchPatience());
        } finally {
            bindings.freeParams(memory);
        }
    }

    static void assertBeamSearchDefaults(WhisperBindings bindings) {
        MemorySegment memory = bindings.fullDefaultParamsByRef(WhisperFullParamsStruct.STRATEGY_BEAM_SEARCH);
        try {
            WhisperFullParamsStruct params = new WhisperFullParamsStruct(memory, bindings.family());
            assertEquals(WhisperFullParamsStruct.STRATEGY_BEAM_SEARCH, params.strategy());
            assertCommonDefaults(params);
            assertEquals(-1, params.greedyBestOf());
            assertEquals(5, params.beamSearchBeamSize());
            assertEquals(-1.0f, params.beamSearchPatience());
        } finally {
            bindings.freeParams(memory);
        }
    }

    /** The defaults of both strategies, the same in every supported release; the fields of the family's layout. */
    static void assertCommonDefaults(WhisperFullParamsStruct params) {
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(params.nThreads() >= 1 && params.nThreads() <= Math.max(4, cores), "n_threads " + params.nThreads());
        assertEquals(16384, params.nMaxTextCtx());
        assertEquals(0, params.offsetMs());
        assertEquals(0, params.durationMs());

        assertFalse(params.translate());
        assertTrue(params.noContext());
        assertFalse(params.noTimestamps());
        assertFalse(params.singleSegment());
        assertFalse(params.printSpecial());
        assertTrue(params.printProgress());
        assertFalse(params.printRealtime());
        assertTrue(params.printTimestamps());

        assertFalse(params.tokenTimestamps());
        assertEquals(0.01f, params.tholdPt());
        assertEquals(0.01f, params.tholdPtsum());
        assertEquals(0, params.maxLen());
        assertFalse(params.splitOnWord());
        assertEquals(0, params.maxTokens());

        assertFalse(params.debugMode());
        assertEquals(0, params.audioCtx());
        assertFalse(params.tdrzEnable());

        assertEquals(0, params.suppressRegex().address());
        assertEquals(0, params.initialPrompt().address());
        assertEquals(0, params.promptTokens().address());
        assertEquals(0, params.promptNTokens());

        assertEquals("en", params.language().reinterpret(3).getString(0));
        assertFalse(params.detectLanguage());
        assertTrue(params.suppressBlank());
        assertFalse(params.suppressNonSpeechTokens());

        assertEquals(0.0f, params.temperature());
        assertEquals(1.0f, params.maxInitialTs());
        assertEquals(-1.0f, params.lengthPenalty());
        assertEquals(0.2f, params.temperatureInc());
        assertEquals(2.4f, params.entropyThold());
        assertEquals(-1.0f, params.logprobThold());
        assertEquals(0.6f, params.noSpeechThold());

        assertEquals(0, params.newSegmentCallback().address());
        assertEquals(0, params.newSegmentCallbackUserData().address());
        assertEquals(0, params.progressCallback().address());
        assertEquals(0, params.progressCallbackUserData().address());
        assertEquals(0, params.encoderBeginCallback().address());
        assertEquals(0, params.encoderBeginCallbackUserData().address());
        assertEquals(0, params.abortCallback().address());
        assertEquals(0, params.abortCallbackUserData().address());
        assertEquals(0, params.logitsFilterCallback().address());
        assertEquals(0, params.logitsFilterCallbackUserData().address());

        assertEquals(0, params.grammarRules().address());
        assertEquals(0, params.nGrammarRules());
        assertEquals(0, params.iStartRule());
        assertEquals(100.0f, params.grammarPenalty());

        if (params.family().hasCarryInitialPrompt()) {
            assertFalse(params.carryInitialPrompt());
        } else {
            var e = assertThrows(IllegalStateException.class, params::carryInitialPrompt);
            assertTrue(e.getMessage().contains("has no field carry_initial_prompt"), e.getMessage());
        }
        if (params.family().hasVad()) {
            assertFalse(params.vad());
            assertEquals(0, params.vadModelPath().address());
            WhisperVadParamsStruct vad = params.vadParams();
            assertEquals(0.5f, vad.threshold());
            assertEquals(250, vad.minSpeechDurationMs());
            assertEquals(100, vad.minSilenceDurationMs());
            assertEquals(Float.MAX_VALUE, vad.maxSpeechDurationS());
            assertEquals(30, vad.speechPadMs());
            assertEquals(0.1f, vad.samplesOverlap());
        } else {
            assertThrows(IllegalStateException.class, params::vad);
            assertThrows(IllegalStateException.class, params::vadModelPath);
            assertThrows(IllegalStateException.class, params::vadParams);
        }
    }

    @Test
    void contextDefaults() {
        assertContextDefaults(bindings, NativeVersion.of(1, 7, 1));
    }

    /** whisper_vad_default_params and whisper_vad_default_context_params (1.7.6 and later), returned by value. */
    static void assertVadDefaults(WhisperBindings.Vad vad) {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(VadParams.defaults(), new WhisperVadParamsStruct(vad.defaultParams(arena)).get());
            var context = new WhisperVadContextParamsStruct(vad.defaultContextParams(arena));
            assertEquals(4, context.nThreads());
            assertFalse(context.useGpu());
            assertEquals(0, context.gpuDevice());
        }
    }

    /** whisper_context_default_params: flash attention is on from 1.8.0. */
    static void assertContextDefaults(WhisperBindings bindings, NativeVersion version) {
        MemorySegment memory = bindings.contextDefaultParamsByRef();
        try {
            WhisperContextParamsStruct params = new WhisperContextParamsStruct(memory);
            assertTrue(params.useGpu());
            assertEquals(version.atLeast(1, 8, 0), params.flashAttn());
            assertEquals(0, params.gpuDevice());
            assertFalse(params.dtwTokenTimestamps());
            assertEquals(0, params.dtwAheadsPreset());
            assertEquals(-1, params.dtwNTop());
            assertEquals(0, params.dtwAheadsNHeads());
            assertEquals(0, params.dtwAheadsHeads().address());
            assertEquals(128L * 1024 * 1024, params.dtwMemSize());
        } finally {
            bindings.freeContextParams(memory);
        }
    }
}
