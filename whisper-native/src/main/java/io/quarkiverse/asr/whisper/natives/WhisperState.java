package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decoding state ({@code whisper_state}) for one transcription at a time over a {@link WhisperContext}.
 * <p>
 * Not thread-safe: use a state from one thread at a time (a pool of states serves concurrent requests). A
 * second concurrent {@link #full} throws {@link IllegalStateException} instead of corrupting native memory.
 * {@link #close()} may come from any thread, also during {@code full}: the memory is then freed when that
 * call returns.
 */
public final class WhisperState implements AutoCloseable {

    private static final String ENGLISH = "en";

    private final WhisperContext context;
    private final WhisperBindings bindings;
    private final MemorySegment ctx;
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final AtomicBoolean running = new AtomicBoolean();

    /** Takes ownership of {@code state} and of the reference to {@code ctx} that the caller acquired. */
    WhisperState(WhisperContext context, MemorySegment ctx, MemorySegment state) {
        this.context = context;
        this.bindings = context.bindings();
        this.ctx = ctx;
        WhisperBindings freeing = bindings;
        NativeHandle contextHandle = context.handle();
        this.handle = new NativeHandle("The whisper state", state, pointer -> {
            freeing.freeState(pointer);
            contextHandle.release();
        });
        this.cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /**
     * Transcribes (or translates) audio: PCM to spectrogram, encoder, decoder, in 30 s windows.
     *
     * @param pcm16kMono samples at 16 kHz, mono, in [-1, 1]; less than one second yields no segments
     * @param params options; {@link FullParams#defaults()} for whisper.cpp's
     * @param callbacks progress, segment and abort hooks, or {@link FullCallbacks#NONE}
     * @return the segments and the language
     * @throws WhisperAbortedException if {@link FullCallbacks#shouldAbort()} stopped it
     * @throws WhisperNativeException if whisper.cpp fails, with its return code
     * @throws IllegalStateException if this state is closed or already running on another thread
     * @throws IllegalArgumentException if the audio is empty or the language unknown
     */
    public FullResult full(float[] pcm16kMono, FullParams params, FullCallbacks callbacks) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(callbacks, "callbacks");
        if (pcm16kMono.length == 0) {
            // whisper.cpp would decode the spectrogram of the previous call again
            throw new IllegalArgumentException("No audio samples");
        }
        MemorySegment state = handle.acquire();
        try {
            if (!running.compareAndSet(false, true)) {
                throw new IllegalStateException("The whisper state is already running a transcription on another thread");
            }
            try (Arena arena = Arena.ofConfined()) {
                return run(state, pcm16kMono, params, callbacks, arena);
            } finally {
                running.set(false);
            }
        } finally {
            handle.release();
        }
    }

    private FullResult run(MemorySegment state, float[] pcm, FullParams params, FullCallbacks callbacks, Arena arena) {
        MemorySegment language = language(params, arena);
        MemorySegment samples = arena.allocateFrom(JAVA_FLOAT, pcm);
        // token data comes back by value; one buffer, reused for every token
        SegmentAllocator tokenData = SegmentAllocator.prefixAllocator(arena.allocate(WhisperTokenDataStruct.LAYOUT));
        Upcalls upcalls = callbacks == FullCallbacks.NONE ? null
                : new Upcalls(this, state, callbacks, arena, tokenData);
        MemorySegment nativeParams = bindings.fullDefaultParamsByRef(params.strategy().code);
        if (nativeParams.address() == 0) {
            throw new WhisperNativeException("whisper_full_default_params_by_ref returned NULL");
        }
        int code;
        try {
            WhisperFullParamsStruct struct = new WhisperFullParamsStruct(nativeParams);
            params.writeTo(struct, arena);
            struct.language(language);
            if (upcalls != null) {
                upcalls.install(struct);
            }
            code = bindings.fullWithState(ctx, state, struct.segment(), samples, pcm.length);
        } finally {
            bindings.freeParams(nativeParams);
            NativeLog.expectAbortErrors(false);
        }
        if (upcalls != null) {
            upcalls.rethrowFailure();
            if (code != 0 && upcalls.abortRequested) {
                throw new WhisperAbortedException("The transcription was aborted (whisper_full_with_state returned "
                        + code + ")", code);
            }
        }
        if (code != 0) {
            throw new WhisperNativeException("whisper_full_with_state failed with code " + code + " (" + describe(code)
                    + "); see log category " + NativeLog.CATEGORY, code);
        }
        int segments = bindings.fullNSegmentsFromState(state);
        List<SegmentData> result = new ArrayList<>(segments);
        for (int i = 0; i < segments; i++) {
            result.add(segment(state, i, tokenData));
        }
        int languageId = bindings.fullLangIdFromState(state);
        return new FullResult(result, WhisperBindings.string(bindings.langStr(languageId)), languageId);
    }

    /** NULL detects the language; English-only models need no detection (and cannot tell languages apart). */
    private MemorySegment language(FullParams params, Arena arena) {
        if (!context.isMultilingual()) {
            return arena.allocateFrom(ENGLISH);
        }
        if (params.detectsLanguage()) {
            return MemorySegment.NULL;
        }
        MemorySegment language = arena.allocateFrom(params.language());
        if (bindings.langId(language) < 0) {
            // whisper.cpp 1.7.1 would look up the token of language -1
            throw new IllegalArgumentException("Unknown language for whisper.cpp: " + params.language());
        }
        return language;
    }

    /** Return codes of whisper_full_with_state in whisper.cpp 1.7.1. */
    private static String describe(int code) {
        return switch (code) {
            case -2 -> "log mel spectrogram failed";
            case -3 -> "language detection failed";
            case -4 -> "too many decoders";
            case -5 -> "audio_ctx larger than the model's";
            case -6 -> "encoder failed";
            case -7, -8, -9 -> "decoder failed";
            default -> "unknown failure";
        };
    }

    private SegmentData segment(MemorySegment state, int index, SegmentAllocator tokenData) {
        int tokenCount = bindings.fullNTokensFromState(state, index);
        List<TokenData> tokens = new ArrayList<>(tokenCount);
        for (int i = 0; i < tokenCount; i++) {
            var token = new WhisperTokenDataStruct(bindings.fullGetTokenDataFromState(tokenData, state, index, i));
            String text = WhisperBindings.string(bindings.fullGetTokenTextFromState(ctx, state, index, i));
            tokens.add(new TokenData(token.id(), text, token.p(), token.plog(), token.t0(), token.t1(),
                    context.isSpecial(token.id())));
        }
        return new SegmentData(index, bindings.fullGetSegmentT0FromState(state, index),
                bindings.fullGetSegmentT1FromState(state, index),
                WhisperBindings.string(bindings.fullGetSegmentTextFromState(state, index)), tokens);
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    /**
     * The upcalls of one {@code full} call, bound to its callbacks; their stubs live in the call's arena. They
     * run on the calling thread and never let an exception reach native code: the first one is kept, whisper.cpp
     * is asked to stop, and {@link #rethrowFailure()} throws it after the native call.
     */
    private static final class Upcalls {
        private static final FunctionDescriptor SEGMENT_OR_PROGRESS = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS);
        private static final FunctionDescriptor ABORT = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS);
        private static final MethodHandle ON_NEW_SEGMENT;
        private static final MethodHandle ON_PROGRESS;
        private static final MethodHandle SHOULD_ABORT;

        static {
            try {
                var lookup = MethodHandles.lookup();
                var segmentOrProgress = MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class,
                        int.class, MemorySegment.class);
                ON_NEW_SEGMENT = lookup.findVirtual(Upcalls.class, "onNewSegment", segmentOrProgress);
                ON_PROGRESS = lookup.findVirtual(Upcalls.class, "onProgress", segmentOrProgress);
                SHOULD_ABORT = lookup.findVirtual(Upcalls.class, "shouldAbort",
                        MethodType.methodType(boolean.class, MemorySegment.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final WhisperState owner;
        private final MemorySegment state;
        private final FullCallbacks callbacks;
        private final Arena arena;
        private final SegmentAllocator tokenData;
        private Throwable failure;
        private boolean abortRequested;

        Upcalls(WhisperState owner, MemorySegment state, FullCallbacks callbacks, Arena arena,
                SegmentAllocator tokenData) {
            this.owner = owner;
            this.state = state;
            this.callbacks = callbacks;
            this.arena = arena;
            this.tokenData = tokenData;
        }

        void install(WhisperFullParamsStruct params) {
            Linker linker = Linker.nativeLinker();
            params.newSegmentCallback(linker.upcallStub(ON_NEW_SEGMENT.bindTo(this), SEGMENT_OR_PROGRESS, arena));
            params.progressCallback(linker.upcallStub(ON_PROGRESS.bindTo(this), SEGMENT_OR_PROGRESS, arena));
            params.abortCallback(linker.upcallStub(SHOULD_ABORT.bindTo(this), ABORT, arena));
        }

        /** {@code whisper_new_segment_callback}: the last {@code newSegments} segments are new. */
        private void onNewSegment(MemorySegment ctx, MemorySegment nativeState, int newSegments, MemorySegment userData) {
            if (failure != null) {
                return;
            }
            try {
                int segments = owner.bindings.fullNSegmentsFromState(state);
                for (int i = segments - newSegments; i < segments; i++) {
                    callbacks.onNewSegment(owner.segment(state, i, tokenData));
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** {@code whisper_progress_callback}; 1.7.1 can report past 100 when the last window overshoots the audio. */
        private void onProgress(MemorySegment ctx, MemorySegment nativeState, int progress, MemorySegment userData) {
            if (failure != null) {
                return;
            }
            try {
                callbacks.onProgress(Math.clamp(progress, 0, 100));
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** {@code ggml_abort_callback}: true stops whisper_full after the current encoder or decoder step. */
        private boolean shouldAbort(MemorySegment userData) {
            if (failure == null && !abortRequested) {
                try {
                    abortRequested = callbacks.shouldAbort();
                } catch (Throwable t) {
                    failure = t;
                }
            }
            boolean stop = failure != null || abortRequested;
            if (stop) {
                NativeLog.expectAbortErrors(true);
            }
            return stop;
        }

        void rethrowFailure() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new WhisperNativeException("A whisper.cpp callback failed", failure);
            }
        }
    }
}
