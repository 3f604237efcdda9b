package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The downcall handles of libwhisper, created once per loaded library for its {@link WhisperFullParamsStruct.Family}.
 * This is the only class that owns downcall handles; the thin wrappers below invoke them exactly and leave
 * ownership of the returned pointers to the callers. The functions used have the same signatures in every
 * supported release (whisper.h 1.7.0 to 1.9.3); the structs passed by value follow the family's layouts, and
 * the VAD functions exist from 1.7.6 on.
 */
final class WhisperBindings {

    private static final Linker LINKER = Linker.nativeLinker();

    /** A {@code const char *} returned by whisper.cpp: NUL-terminated UTF-8, readable up to its terminator. */
    static final AddressLayout C_STRING = ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, JAVA_BYTE));

    private static final AddressLayout CONTEXT_PARAMS_PTR = ADDRESS
            .withTargetLayout(WhisperContextParamsStruct.LAYOUT);

    /** {@code void (*ggml_log_callback)(enum ggml_log_level level, const char * text, void * user_data)} */
    static final FunctionDescriptor LOG_CALLBACK = FunctionDescriptor.ofVoid(JAVA_INT, C_STRING, ADDRESS);

    private final WhisperFullParamsStruct.Family family;
    private final MethodHandle contextDefaultParamsByRef;
    private final MethodHandle freeContextParams;
    private final MethodHandle initFromFileWithParamsNoState;
    private final MethodHandle initFromFileWithParams;
    private final MethodHandle initState;
    private final MethodHandle free;
    private final MethodHandle freeState;
    private final MethodHandle fullDefaultParamsByRef;
    private final MethodHandle freeParams;
    private final MethodHandle fullWithState;
    private final MethodHandle fullNSegmentsFromState;
    private final MethodHandle fullGetSegmentT0FromState;
    private final MethodHandle fullGetSegmentT1FromState;
    private final MethodHandle fullGetSegmentTextFromState;
    private final MethodHandle fullNTokensFromState;
    private final MethodHandle fullGetTokenDataFromState;
    private final MethodHandle fullGetTokenTextFromState;
    private final MethodHandle fullLangIdFromState;
    private final MethodHandle langStr;
    private final MethodHandle langId;
    private final MethodHandle langMaxId;
    private final MethodHandle isMultilingual;
    private final MethodHandle tokenEot;
    private final MethodHandle modelTypeReadable;
    private final MethodHandle modelNVocab;
    private final MethodHandle printSystemInfo;
    private final MethodHandle logSet;
    private final MethodHandle tokenize;
    private final MethodHandle pcmToMelWithState;
    private final MethodHandle langAutoDetectWithState;
    /** libggml's own logger; whisper_log_set alone leaves ggml printing to stderr until a model is loaded. */
    private final Optional<MethodHandle> ggmlLogSet;
    /** Present exactly when the family has VAD. */
    private final Optional<Vad> vad;
    /** Present when libggml exports its backend registry (every standard shared build). */
    private final Optional<GgmlRegistry> ggmlRegistry;

    /** @throws WhisperLibraryException if {@code lookup} lacks a function of the family's API */
    WhisperBindings(SymbolLookup lookup, WhisperFullParamsStruct.Family family) {
        this.family = family;
        StructLayout fullParams = family.layout;
        contextDefaultParamsByRef = handle(lookup, "whisper_context_default_params_by_ref",
                FunctionDescriptor.of(CONTEXT_PARAMS_PTR));
        freeContextParams = handle(lookup, "whisper_free_context_params", FunctionDescriptor.ofVoid(ADDRESS));
        initFromFileWithParamsNoState = handle(lookup, "whisper_init_from_file_with_params_no_state",
                FunctionDescriptor.of(ADDRESS, ADDRESS, WhisperContextParamsStruct.LAYOUT));
        initFromFileWithParams = handle(lookup, "whisper_init_from_file_with_params",
                FunctionDescriptor.of(ADDRESS, ADDRESS, WhisperContextParamsStruct.LAYOUT));
        initState = handle(lookup, "whisper_init_state", FunctionDescriptor.of(ADDRESS, ADDRESS));
        free = handle(lookup, "whisper_free", FunctionDescriptor.ofVoid(ADDRESS));
        freeState = handle(lookup, "whisper_free_state", FunctionDescriptor.ofVoid(ADDRESS));
        fullDefaultParamsByRef = handle(lookup, "whisper_full_default_params_by_ref",
                FunctionDescriptor.of(ADDRESS.withTargetLayout(fullParams), JAVA_INT));
        freeParams = handle(lookup, "whisper_free_params", FunctionDescriptor.ofVoid(ADDRESS));
        fullWithState = handle(lookup, "whisper_full_with_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, fullParams, ADDRESS, JAVA_INT));
        fullNSegmentsFromState = handle(lookup, "whisper_full_n_segments_from_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        fullGetSegmentT0FromState = handle(lookup, "whisper_full_get_segment_t0_from_state",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
        fullGetSegmentT1FromState = handle(lookup, "whisper_full_get_segment_t1_from_state",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
        fullGetSegmentTextFromState = handle(lookup, "whisper_full_get_segment_text_from_state",
                FunctionDescriptor.of(C_STRING, ADDRESS, JAVA_INT));
        fullNTokensFromState = handle(lookup, "whisper_full_n_tokens_from_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        fullGetTokenDataFromState = handle(lookup, "whisper_full_get_token_data_from_state",
                FunctionDescriptor.of(WhisperTokenDataStruct.LAYOUT, ADDRESS, JAVA_INT, JAVA_INT));
        fullGetTokenTextFromState = handle(lookup, "whisper_full_get_token_text_from_state",
                FunctionDescriptor.of(C_STRING, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        fullLangIdFromState = handle(lookup, "whisper_full_lang_id_from_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        langStr = handle(lookup, "whisper_lang_str", FunctionDescriptor.of(C_STRING, JAVA_INT));
        langId = handle(lookup, "whisper_lang_id", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        langMaxId = handle(lookup, "whisper_lang_max_id", FunctionDescriptor.of(JAVA_INT));
        isMultilingual = handle(lookup, "whisper_is_multilingual", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        tokenEot = handle(lookup, "whisper_token_eot", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelTypeReadable = handle(lookup, "whisper_model_type_readable", FunctionDescriptor.of(C_STRING, ADDRESS));
        modelNVocab = handle(lookup, "whisper_model_n_vocab", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        printSystemInfo = handle(lookup, "whisper_print_system_info", FunctionDescriptor.of(C_STRING));
        logSet = handle(lookup, "whisper_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        tokenize = handle(lookup, "whisper_tokenize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
        pcmToMelWithState = handle(lookup, "whisper_pcm_to_mel_with_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        langAutoDetectWithState = handle(lookup, "whisper_lang_auto_detect_with_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        ggmlLogSet = lookup.find("ggml_log_set")
                .map(symbol -> LINKER.downcallHandle(symbol, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS)));
        vad = family.hasVad() ? Optional.of(new Vad(lookup)) : Optional.empty();
        ggmlRegistry = GgmlRegistry.find(lookup);
    }

    /**
     * {@code const char * whisper_version(void)}, exported from whisper.cpp 1.7.6 on; empty for older libraries.
     */
    static Optional<String> version(SymbolLookup lookup) {
        return lookup.find("whisper_version").map(symbol -> {
            MethodHandle version = LINKER.downcallHandle(symbol, FunctionDescriptor.of(C_STRING));
            try {
                return string((MemorySegment) version.invokeExact());
            } catch (Throwable t) {
                throw propagate(t);
            }
        });
    }

    private MethodHandle handle(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new WhisperLibraryException(
                "The whisper library does not export " + name + "; it is not a whisper.cpp " + family.range()
                        + " build"));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    WhisperFullParamsStruct.Family family() {
        return family;
    }

    /** @throws WhisperLibraryException if the library has no VAD (before 1.7.6) */
    Vad vad() {
        return vad.orElseThrow(() -> new WhisperLibraryException("Voice activity detection needs whisper.cpp 1.7.6"
                + " or later; the loaded library has the whisper.cpp " + family.range() + " API"));
    }

    Optional<GgmlRegistry> ggmlRegistry() {
        return ggmlRegistry;
    }

    /** Decodes a returned C string as UTF-8 (malformed bytes, e.g. a token holding half a character, become U+FFFD). */
    static String string(MemorySegment cString) {
        return cString.address() == 0 ? null : cString.getString(0);
    }

    /** Downcalls declare Throwable; whisper.cpp itself never throws into Java, so anything here is a JVM-side problem. */
    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new WhisperNativeException("Unexpected failure in a whisper.cpp downcall", t);
    }

    MemorySegment contextDefaultParamsByRef() {
        try {
            return (MemorySegment) contextDefaultParamsByRef.invokeExact();
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void freeContextParams(MemorySegment params) {
        try {
            freeContextParams.invokeExact(params);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment initFromFileWithParamsNoState(MemorySegment path, MemorySegment params) {
        try {
            return (MemorySegment) initFromFileWithParamsNoState.invokeExact(path, params);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment initFromFileWithParams(MemorySegment path, MemorySegment params) {
        try {
            return (MemorySegment) initFromFileWithParams.invokeExact(path, params);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment initState(MemorySegment ctx) {
        try {
            return (MemorySegment) initState.invokeExact(ctx);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void free(MemorySegment ctx) {
        try {
            free.invokeExact(ctx);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void freeState(MemorySegment state) {
        try {
            freeState.invokeExact(state);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment fullDefaultParamsByRef(int strategy) {
        try {
            return (MemorySegment) fullDefaultParamsByRef.invokeExact(strategy);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void freeParams(MemorySegment params) {
        try {
            freeParams.invokeExact(params);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int fullWithState(MemorySegment ctx, MemorySegment state, MemorySegment params, MemorySegment samples,
            int nSamples) {
        try {
            return (int) fullWithState.invokeExact(ctx, state, params, samples, nSamples);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int fullNSegmentsFromState(MemorySegment state) {
        try {
            return (int) fullNSegmentsFromState.invokeExact(state);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    long fullGetSegmentT0FromState(MemorySegment state, int segment) {
        try {
            return (long) fullGetSegmentT0FromState.invokeExact(state, segment);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    long fullGetSegmentT1FromState(MemorySegment state, int segment) {
        try {
            return (long) fullGetSegmentT1FromState.invokeExact(state, segment);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment fullGetSegmentTextFromState(MemorySegment state, int segment) {
        try {
            return (MemorySegment) fullGetSegmentTextFromState.invokeExact(state, segment);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int fullNTokensFromState(MemorySegment state, int segment) {
        try {
            return (int) fullNTokensFromState.invokeExact(state, segment);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** The struct comes back by value, copied into memory from {@code allocator}. */
    MemorySegment fullGetTokenDataFromState(SegmentAllocator allocator, MemorySegment state, int segment, int token) {
        try {
            return (MemorySegment) fullGetTokenDataFromState.invokeExact(allocator, state, segment, token);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment fullGetTokenTextFromState(MemorySegment ctx, MemorySegment state, int segment, int token) {
        try {
            return (MemorySegment) fullGetTokenTextFromState.invokeExact(ctx, state, segment, token);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int fullLangIdFromState(MemorySegment state) {
        try {
            return (int) fullLangIdFromState.invokeExact(state);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment langStr(int id) {
        try {
            return (MemorySegment) langStr.invokeExact(id);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int langId(MemorySegment lang) {
        try {
            return (int) langId.invokeExact(lang);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int langMaxId() {
        try {
            return (int) langMaxId.invokeExact();
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int isMultilingual(MemorySegment ctx) {
        try {
            return (int) isMultilingual.invokeExact(ctx);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int tokenEot(MemorySegment ctx) {
        try {
            return (int) tokenEot.invokeExact(ctx);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment modelTypeReadable(MemorySegment ctx) {
        try {
            return (MemorySegment) modelTypeReadable.invokeExact(ctx);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int modelNVocab(MemorySegment ctx) {
        try {
            return (int) modelNVocab.invokeExact(ctx);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    MemorySegment printSystemInfo() {
        try {
            return (MemorySegment) printSystemInfo.invokeExact();
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Routes whisper.cpp's and, where exported, ggml's log output to {@code callback}. */
    void logSet(MemorySegment callback) {
        try {
            logSet.invokeExact(callback, MemorySegment.NULL);
            if (ggmlLogSet.isPresent()) {
                ggmlLogSet.get().invokeExact(callback, MemorySegment.NULL);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Token ids of {@code text} into {@code tokens}; the negated count when {@code capacity} is too small. */
    int tokenize(MemorySegment ctx, MemorySegment text, MemorySegment tokens, int capacity) {
        try {
            return (int) tokenize.invokeExact(ctx, text, tokens, capacity);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** 0, or -1 when the spectrogram fails. */
    int pcmToMelWithState(MemorySegment ctx, MemorySegment state, MemorySegment samples, int nSamples, int threads) {
        try {
            return (int) pcmToMelWithState.invokeExact(ctx, state, samples, nSamples, threads);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /**
     * Runs the encoder and one decoder step on the state's spectrogram from {@code offsetMs}; writes one
     * probability per language id into {@code probabilities} and returns the most probable id, or a negative code.
     */
    int langAutoDetectWithState(MemorySegment ctx, MemorySegment state, int offsetMs, int threads,
            MemorySegment probabilities) {
        try {
            return (int) langAutoDetectWithState.invokeExact(ctx, state, offsetMs, threads, probabilities);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** The VAD API of whisper.h 1.7.6 to 1.9.3 (a Silero model run by ggml). */
    final class Vad {
        private final MethodHandle defaultParams;
        private final MethodHandle defaultContextParams;
        private final MethodHandle initFromFileWithParams;
        private final MethodHandle detectSpeech;
        private final MethodHandle nProbs;
        private final MethodHandle probs;
        private final MethodHandle segmentsFromProbs;
        private final MethodHandle segmentsNSegments;
        private final MethodHandle segmentsGetSegmentT0;
        private final MethodHandle segmentsGetSegmentT1;
        private final MethodHandle freeSegments;
        private final MethodHandle free;

        private Vad(SymbolLookup lookup) {
            defaultParams = handle(lookup, "whisper_vad_default_params",
                    FunctionDescriptor.of(WhisperVadParamsStruct.LAYOUT));
            defaultContextParams = handle(lookup, "whisper_vad_default_context_params",
                    FunctionDescriptor.of(WhisperVadContextParamsStruct.LAYOUT));
            initFromFileWithParams = handle(lookup, "whisper_vad_init_from_file_with_params",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, WhisperVadContextParamsStruct.LAYOUT));
            detectSpeech = handle(lookup, "whisper_vad_detect_speech",
                    FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS, JAVA_INT));
            nProbs = handle(lookup, "whisper_vad_n_probs", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            probs = handle(lookup, "whisper_vad_probs", FunctionDescriptor.of(ADDRESS, ADDRESS));
            segmentsFromProbs = handle(lookup, "whisper_vad_segments_from_probs",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, WhisperVadParamsStruct.LAYOUT));
            segmentsNSegments = handle(lookup, "whisper_vad_segments_n_segments",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            segmentsGetSegmentT0 = handle(lookup, "whisper_vad_segments_get_segment_t0",
                    FunctionDescriptor.of(JAVA_FLOAT, ADDRESS, JAVA_INT));
            segmentsGetSegmentT1 = handle(lookup, "whisper_vad_segments_get_segment_t1",
                    FunctionDescriptor.of(JAVA_FLOAT, ADDRESS, JAVA_INT));
            freeSegments = handle(lookup, "whisper_vad_free_segments", FunctionDescriptor.ofVoid(ADDRESS));
            free = handle(lookup, "whisper_vad_free", FunctionDescriptor.ofVoid(ADDRESS));
        }

        /** {@code whisper_vad_params} by value, copied into memory from {@code allocator}. */
        MemorySegment defaultParams(SegmentAllocator allocator) {
            try {
                return (MemorySegment) defaultParams.invokeExact(allocator);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /** {@code whisper_vad_context_params} by value, copied into memory from {@code allocator}. */
        MemorySegment defaultContextParams(SegmentAllocator allocator) {
            try {
                return (MemorySegment) defaultContextParams.invokeExact(allocator);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /** A {@code whisper_vad_context *}, NULL on failure. */
        MemorySegment initFromFileWithParams(MemorySegment path, MemorySegment params) {
            try {
                return (MemorySegment) initFromFileWithParams.invokeExact(path, params);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /**
         * Runs the model over {@code nSamples} samples from a reset state, keeping one probability per window in
         * the context; false on failure.
         */
        boolean detectSpeech(MemorySegment vctx, MemorySegment samples, int nSamples) {
            try {
                return (boolean) detectSpeech.invokeExact(vctx, samples, nSamples);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /** How many probabilities the last detection left in the context. */
        int nProbs(MemorySegment vctx) {
            try {
                return (int) nProbs.invokeExact(vctx);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /** The context's own {@code float} array of {@link #nProbs} probabilities, valid until its next detection. */
        MemorySegment probs(MemorySegment vctx) {
            try {
                return (MemorySegment) probs.invokeExact(vctx);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /**
         * The speech in the context's last probabilities: a {@code whisper_vad_segments *} to free with
         * {@link #freeSegments}, NULL on failure.
         */
        MemorySegment segmentsFromProbs(MemorySegment vctx, MemorySegment params) {
            try {
                return (MemorySegment) segmentsFromProbs.invokeExact(vctx, params);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        int segmentsNSegments(MemorySegment segments) {
            try {
                return (int) segmentsNSegments.invokeExact(segments);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /** Start of a speech segment, in centiseconds. */
        float segmentsGetSegmentT0(MemorySegment segments, int index) {
            try {
                return (float) segmentsGetSegmentT0.invokeExact(segments, index);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /** End of a speech segment, in centiseconds. */
        float segmentsGetSegmentT1(MemorySegment segments, int index) {
            try {
                return (float) segmentsGetSegmentT1.invokeExact(segments, index);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        void freeSegments(MemorySegment segments) {
            try {
                freeSegments.invokeExact(segments);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        void free(MemorySegment vctx) {
            try {
                free.invokeExact(vctx);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }
    }

    /**
     * ggml's backend registry (ggml-backend.h, the same signatures from whisper.cpp 1.7.0 to 1.9.3):
     * {@code ggml_backend_reg_t} and {@code ggml_backend_dev_t} are opaque pointers owned by ggml for the life
     * of the process.
     */
    static final class GgmlRegistry {
        private final MethodHandle regCount;
        private final MethodHandle regGet;
        private final MethodHandle regName;
        private final MethodHandle regDevCount;
        private final MethodHandle regDevGet;
        private final MethodHandle devName;
        private final MethodHandle devDescription;
        private final MethodHandle devType;
        private final MethodHandle devMemory;

        private GgmlRegistry(SymbolLookup lookup) {
            regCount = ggml(lookup, "ggml_backend_reg_count", FunctionDescriptor.of(JAVA_LONG));
            regGet = ggml(lookup, "ggml_backend_reg_get", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
            regName = ggml(lookup, "ggml_backend_reg_name", FunctionDescriptor.of(C_STRING, ADDRESS));
            regDevCount = ggml(lookup, "ggml_backend_reg_dev_count", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
            regDevGet = ggml(lookup, "ggml_backend_reg_dev_get", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG));
            devName = ggml(lookup, "ggml_backend_dev_name", FunctionDescriptor.of(C_STRING, ADDRESS));
            devDescription = ggml(lookup, "ggml_backend_dev_description", FunctionDescriptor.of(C_STRING, ADDRESS));
            devType = ggml(lookup, "ggml_backend_dev_type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            devMemory = ggml(lookup, "ggml_backend_dev_memory", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        }

        /** Empty when one of the functions is not exported (a build that links ggml in with hidden symbols). */
        static Optional<GgmlRegistry> find(SymbolLookup lookup) {
            try {
                return Optional.of(new GgmlRegistry(lookup));
            } catch (NoSuchElementException e) {
                return Optional.empty();
            }
        }

        private static MethodHandle ggml(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(lookup.find(name).orElseThrow(), descriptor);
        }

        long regCount() {
            try {
                return (long) regCount.invokeExact();
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        MemorySegment regGet(long index) {
            try {
                return (MemorySegment) regGet.invokeExact(index);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        MemorySegment regName(MemorySegment reg) {
            try {
                return (MemorySegment) regName.invokeExact(reg);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        long regDevCount(MemorySegment reg) {
            try {
                return (long) regDevCount.invokeExact(reg);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        MemorySegment regDevGet(MemorySegment reg, long index) {
            try {
                return (MemorySegment) regDevGet.invokeExact(reg, index);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        MemorySegment devName(MemorySegment dev) {
            try {
                return (MemorySegment) devName.invokeExact(dev);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        MemorySegment devDescription(MemorySegment dev) {
            try {
                return (MemorySegment) devDescription.invokeExact(dev);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /** The {@code enum ggml_backend_dev_type} code, whose meaning depends on the release. */
        int devType(MemorySegment dev) {
            try {
                return (int) devType.invokeExact(dev);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }

        /** Writes the free and total bytes into two {@code size_t}s. */
        void devMemory(MemorySegment dev, MemorySegment free, MemorySegment total) {
            try {
                devMemory.invokeExact(dev, free, total);
            } catch (Throwable t) {
                throw propagate(t);
            }
        }
    }
}
