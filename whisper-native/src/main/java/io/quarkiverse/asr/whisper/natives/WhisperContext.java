package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded model ({@code whisper_context}), shared by any number of {@link WhisperState}s, each of which
 * runs one transcription at a time.
 * <p>
 * Thread-safe. {@link #close()} may be called any number of times from any thread; the model memory is
 * freed once the context is closed and every state created from it is closed too. A context or state that
 * is never closed is freed after it becomes unreachable, but closing is the way to bound memory use.
 */
public final class WhisperContext implements AutoCloseable {

    private static final AtomicInteger LIVE = new AtomicInteger();

    private final WhisperBindings bindings;
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final Path modelFile;
    private final boolean multilingual;
    private final String modelType;
    private final int vocabularySize;
    private final int endOfText;

    /** Takes ownership of {@code ctx}, a non-NULL {@code whisper_context *}. */
    WhisperContext(WhisperBindings bindings, MemorySegment ctx, Path modelFile) {
        this.bindings = bindings;
        this.modelFile = modelFile;
        // fixed for the model's lifetime: read once instead of on every use
        this.multilingual = bindings.isMultilingual(ctx) != 0;
        this.modelType = WhisperBindings.string(bindings.modelTypeReadable(ctx));
        this.vocabularySize = bindings.modelNVocab(ctx);
        this.endOfText = bindings.tokenEot(ctx);
        this.handle = new NativeHandle("The whisper context of " + modelFile, ctx, bindings::free, LIVE);
        this.cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /**
     * Contexts loaded and not yet freed in this process; a closed context counts until its last state is closed.
     * A diagnostic: an application that closed what it loaded leaves this where it found it.
     */
    public static int liveCount() {
        return LIVE.get();
    }

    /**
     * Creates decoding state for one transcription at a time: KV caches and compute buffers, about 200 MB for
     * a tiny model and more for larger ones (whisper.cpp logs the sizes at DEBUG).
     *
     * @throws IllegalStateException if this context is closed
     * @throws WhisperNativeException if whisper.cpp cannot allocate it
     */
    public WhisperState newState() {
        MemorySegment ctx = handle.acquire();
        MemorySegment state;
        try {
            state = bindings.initState(ctx);
        } catch (RuntimeException e) {
            handle.release();
            throw e;
        }
        if (state.address() == 0) {
            handle.release();
            throw new WhisperNativeException("whisper_init_state failed for model " + modelFile
                    + " (see log category " + NativeLog.CATEGORY + ")");
        }
        return new WhisperState(this, ctx, state);
    }

    /**
     * whisper.cpp's token ids of {@code text}, e.g. for {@link FullParams#promptTokens()}. Bytes that no token
     * covers are skipped (whisper.cpp logs "unknown token").
     *
     * @throws IllegalStateException if this context is closed
     * @throws WhisperNativeException if whisper.cpp fails
     */
    public int[] tokenize(String text) {
        Objects.requireNonNull(text, "text");
        MemorySegment ctx = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment utf8 = arena.allocateFrom(text);
            // every token covers at least one byte, so as many ids as bytes always fit
            int capacity = (int) Math.max(1, utf8.byteSize() - 1);
            MemorySegment tokens = arena.allocate(JAVA_INT, capacity);
            int count = bindings.tokenize(ctx, utf8, tokens, capacity);
            if (count < 0) {
                // too small after all: whisper.cpp returned the negated count it needs
                capacity = -count;
                tokens = arena.allocate(JAVA_INT, capacity);
                count = bindings.tokenize(ctx, utf8, tokens, capacity);
                if (count < 0) {
                    throw new WhisperNativeException("whisper_tokenize needs room for " + -count + " tokens after"
                            + " asking for " + capacity, count);
                }
            }
            return tokens.asSlice(0, JAVA_INT.byteSize() * count).toArray(JAVA_INT);
        } finally {
            handle.release();
        }
    }

    /** Whether the model knows languages other than English. */
    public boolean isMultilingual() {
        return multilingual;
    }

    /** whisper.cpp's size name of the model, e.g. "tiny", "base", "large". */
    public String modelType() {
        return modelType;
    }

    /** Tokens in the model's vocabulary. */
    public int vocabularySize() {
        return vocabularySize;
    }

    public Path modelFile() {
        return modelFile;
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    WhisperBindings bindings() {
        return bindings;
    }

    /** The handle a state holds a reference of, so the model outlives it. */
    NativeHandle handle() {
        return handle;
    }

    /** Token ids from end-of-text up are control and timestamp tokens. */
    boolean isSpecial(int token) {
        return token >= endOfText;
    }

    @Override
    public String toString() {
        return "WhisperContext[" + modelFile + ", " + modelType + (multilingual ? ", multilingual]" : ", English-only]");
    }
}
