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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongUnaryOperator;

/**
 * Decoding state ({@code whisper_state}) for one transcription at a time over a {@link WhisperContext}.
 * <p>
 * Not thread-safe: use a state from one thread at a time (a pool of states serves concurrent requests). A
 * second concurrent {@link #full} throws {@link IllegalStateException} instead of corrupting native memory.
 * {@link #close()} may come from any thread, also during {@code full}: the memory is then freed when that
 * call returns.
 */
public final class WhisperState implements AutoCloseable {

    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final String ENGLISH = "en";

    private final WhisperContext context;
    private final WhisperBindings bindings;
    private final MemorySegment ctx;
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Loaded for VAD by the running call; volatile for {@link #close()} from another thread. */
    private volatile WhisperVad vad;

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
        }, LIVE);
        this.cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /**
     * States created and not yet freed in this process (a state closed during {@link #full} counts until that call
     * returns). A diagnostic: an application that closed what it created leaves this where it found it.
     */
    public static int liveCount() {
        return LIVE.get();
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
        return exclusively((state, arena) -> run(state, pcm16kMono, params, callbacks, arena));
    }

    /**
     * Identifies the spoken language alone: spectrogram, one encoder pass over the first 30 s and one decoder
     * step, as whisper.cpp does before transcribing when the language is to be detected.
     *
     * @param pcm16kMono samples at 16 kHz, mono, in [-1, 1]
     * @param threads CPU threads
     * @return the most probable language and the probability of every language whisper.cpp knows
     * @throws UnsupportedOperationException if the model is English-only: it has no language tokens to compare
     * @throws WhisperNativeException if whisper.cpp fails, with its return code
     * @throws IllegalStateException if this state is closed or already running on another thread
     * @throws IllegalArgumentException if the audio is empty or {@code threads} below 1
     */
    public LanguageDetection detectLanguage(float[] pcm16kMono, int threads) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        if (pcm16kMono.length == 0) {
            throw new IllegalArgumentException("No audio samples");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (!context.isMultilingual()) {
            throw new UnsupportedOperationException("The model " + context.modelFile()
                    + " is English-only and cannot identify languages; use a multilingual model");
        }
        return exclusively((state, arena) -> detect(state, pcm16kMono, threads, arena));
    }

    private interface Work<T> {
        T run(MemorySegment state, Arena arena);
    }

    /** Runs {@code work} on the state, refusing a concurrent call, with an arena for the call's memory. */
    private <T> T exclusively(Work<T> work) {
        MemorySegment state = handle.acquire();
        try {
            if (!running.compareAndSet(false, true)) {
                throw new IllegalStateException("The whisper state is already running on another thread");
            }
            try (Arena arena = Arena.ofConfined()) {
                return work.run(state, arena);
            } finally {
                running.set(false);
            }
        } finally {
            handle.release();
        }
    }

    private LanguageDetection detect(MemorySegment state, float[] pcm, int threads, Arena arena) {
        int code = bindings.pcmToMelWithState(ctx, state, arena.allocateFrom(JAVA_FLOAT, pcm), pcm.length, threads);
        if (code != 0) {
            throw new WhisperNativeException("whisper_pcm_to_mel_with_state failed with code " + code + "; see log"
                    + " category " + NativeLog.CATEGORY, code);
        }
        int languages = bindings.langMaxId() + 1;
        MemorySegment probabilities = arena.allocate(JAVA_FLOAT, languages);
        int best = bindings.langAutoDetectWithState(ctx, state, 0, threads, probabilities);
        if (best < 0) {
            throw new WhisperNativeException("whisper_lang_auto_detect_with_state failed with code " + best + " ("
                    + describeDetection(best) + "); see log category " + NativeLog.CATEGORY, best);
        }
        List<LanguageDetection.Probability> ranked = new ArrayList<>(languages);
        for (int id = 0; id < languages; id++) {
            ranked.add(new LanguageDetection.Probability(WhisperBindings.string(bindings.langStr(id)), id,
                    probabilities.getAtIndex(JAVA_FLOAT, id)));
        }
        ranked.sort(Comparator.comparingDouble(LanguageDetection.Probability::probability).reversed());
        return new LanguageDetection(WhisperBindings.string(bindings.langStr(best)), best, ranked);
    }

    private FullResult run(MemorySegment state, float[] pcm, FullParams params, FullCallbacks callbacks, Arena arena) {
        MemorySegment language = language(params, arena);
        checkPromptTokens(params);
        float[] audio = pcm;
        LongUnaryOperator toOriginal = LongUnaryOperator.identity();
        if (params.usesVad()) {
            VadParams vadParams = params.vadParams() != null ? params.vadParams()
                    : new WhisperVadParamsStruct(bindings.vad().defaultParams(arena)).get();
            SpeechAudio speech = SpeechAudio.cut(pcm, vad(params).detectSpeech(pcm, vadParams),
                    vadParams.samplesOverlapSeconds());
            if (speech.isEmpty()) {
                // as whisper_full: no speech, nothing to decode, and no language detected
                if (language.address() == 0) {
                    return new FullResult(List.of(), null, -1);
                }
                int languageId = bindings.langId(language);
                return new FullResult(List.of(), WhisperBindings.string(bindings.langStr(languageId)), languageId);
            }
            audio = speech.samples();
            toOriginal = speech::toOriginal;
        }
        MemorySegment samples = arena.allocateFrom(JAVA_FLOAT, audio);
        // token data comes back by value; one buffer, reused for every token
        SegmentAllocator tokenData = SegmentAllocator.prefixAllocator(arena.allocate(WhisperTokenDataStruct.LAYOUT));
        Upcalls upcalls = callbacks == FullCallbacks.NONE ? null
                : new Upcalls(this, state, callbacks, arena, tokenData, toOriginal);
        MemorySegment nativeParams = bindings.fullDefaultParamsByRef(params.strategy().code);
        if (nativeParams.address() == 0) {
            throw new WhisperNativeException("whisper_full_default_params_by_ref returned NULL");
        }
        int code;
        try {
            WhisperFullParamsStruct struct = new WhisperFullParamsStruct(nativeParams, bindings.family());
            params.writeTo(struct, arena);
            struct.language(language);
            if (upcalls != null) {
                upcalls.install(struct);
            }
            code = bindings.fullWithState(ctx, state, struct.segment(), samples, audio.length);
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
            result.add(segment(state, i, tokenData, toOriginal));
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
            // whisper.cpp would look up the token of language -1
            throw new IllegalArgumentException("Unknown language for whisper.cpp: " + params.language());
        }
        return language;
    }

    /** An id out of the vocabulary would make whisper.cpp read past its embedding table. */
    private void checkPromptTokens(FullParams params) {
        if (params.promptTokens() == null) {
            return;
        }
        for (int token : params.promptTokens()) {
            if (token >= context.vocabularySize()) {
                throw new IllegalArgumentException("Prompt token " + token + " is not in the vocabulary of "
                        + context.modelFile() + " (" + context.vocabularySize() + " tokens)");
            }
        }
    }

    /** The VAD model of {@code params}, loaded on first use and kept for the next calls with the same file. */
    private WhisperVad vad(FullParams params) {
        Path model = params.vadModelPath().toAbsolutePath().normalize();
        WhisperVad current = vad;
        if (current == null || !current.modelFile().equals(model)) {
            if (current != null) {
                current.close();
            }
            current = WhisperVad.load(bindings.vad(), model, Objects.requireNonNullElse(params.threads(), 0));
            vad = current;
        }
        return current;
    }

    /** Return codes of whisper_full_with_state (the same in 1.7.0 to 1.9.3). */
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

    /** Return codes of whisper_lang_auto_detect_with_state (the same in 1.7.0 to 1.9.3). */
    private static String describeDetection(int code) {
        return switch (code) {
            case -1, -2 -> "offset outside the audio";
            case -6 -> "encoder failed";
            case -7 -> "decoder failed";
            default -> "unknown failure";
        };
    }

    /** Segment {@code index}, its times passed through {@code toOriginal} (VAD) where they are set. */
    private SegmentData segment(MemorySegment state, int index, SegmentAllocator tokenData,
            LongUnaryOperator toOriginal) {
        LongUnaryOperator time = centis -> centis < 0 ? centis : toOriginal.applyAsLong(centis);
        int tokenCount = bindings.fullNTokensFromState(state, index);
        List<TokenData> tokens = new ArrayList<>(tokenCount);
        for (int i = 0; i < tokenCount; i++) {
            var token = new WhisperTokenDataStruct(bindings.fullGetTokenDataFromState(tokenData, state, index, i));
            String text = WhisperBindings.string(bindings.fullGetTokenTextFromState(ctx, state, index, i));
            tokens.add(new TokenData(token.id(), text, token.p(), token.plog(), time.applyAsLong(token.t0()),
                    time.applyAsLong(token.t1()), context.isSpecial(token.id())));
        }
        return new SegmentData(index, time.applyAsLong(bindings.fullGetSegmentT0FromState(state, index)),
                time.applyAsLong(bindings.fullGetSegmentT1FromState(state, index)),
                WhisperBindings.string(bindings.fullGetSegmentTextFromState(state, index)), tokens);
    }

    /** Frees the state once no call runs any more, and the VAD model it loaded. */
    @Override
    public void close() {
        cleanable.clean();
        WhisperVad loaded = vad;
        if (loaded != null) {
            loaded.close();
        }
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
        private final LongUnaryOperator toOriginal;
        private Throwable failure;
        private boolean abortRequested;

        Upcalls(WhisperState owner, MemorySegment state, FullCallbacks callbacks, Arena arena,
                SegmentAllocator tokenData, LongUnaryOperator toOriginal) {
            this.owner = owner;
            this.state = state;
            this.callbacks = callbacks;
            this.arena = arena;
            this.tokenData = tokenData;
            this.toOriginal = toOriginal;
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
                    callbacks.onNewSegment(owner.segment(state, i, tokenData, toOriginal));
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
