package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The downcall handles of libwhisper (1.7.1 API), created once per loaded library. This is the only class
 * that owns method handles; the thin wrappers below invoke them exactly and leave ownership of the
 * returned pointers to the callers.
 */
final class WhisperBindings {

    private static final Linker LINKER = Linker.nativeLinker();

    /** A {@code const char *} returned by whisper.cpp: NUL-terminated UTF-8, readable up to its terminator. */
    static final AddressLayout C_STRING = ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, JAVA_BYTE));

    private static final AddressLayout CONTEXT_PARAMS_PTR = ADDRESS
            .withTargetLayout(WhisperContextParamsStruct.LAYOUT);
    private static final AddressLayout FULL_PARAMS_PTR = ADDRESS.withTargetLayout(WhisperFullParamsStruct.LAYOUT);

    /** {@code void (*ggml_log_callback)(enum ggml_log_level level, const char * text, void * user_data)} */
    static final FunctionDescriptor LOG_CALLBACK = FunctionDescriptor.ofVoid(JAVA_INT, C_STRING, ADDRESS);

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
    /** libggml's own logger; whisper_log_set alone leaves ggml printing to stderr until a model is loaded. */
    private final Optional<MethodHandle> ggmlLogSet;

    /** @throws WhisperLibraryException if {@code lookup} lacks a symbol of the 1.7.1 API */
    WhisperBindings(SymbolLookup lookup) {
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
                FunctionDescriptor.of(FULL_PARAMS_PTR, JAVA_INT));
        freeParams = handle(lookup, "whisper_free_params", FunctionDescriptor.ofVoid(ADDRESS));
        fullWithState = handle(lookup, "whisper_full_with_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, WhisperFullParamsStruct.LAYOUT, ADDRESS, JAVA_INT));
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
        ggmlLogSet = lookup.find("ggml_log_set")
                .map(symbol -> LINKER.downcallHandle(symbol, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS)));
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

    private static MethodHandle handle(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new WhisperLibraryException(
                "The whisper library does not export " + name + "; it is not a whisper.cpp 1.7.x build"));
        return LINKER.downcallHandle(symbol, descriptor);
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
}
