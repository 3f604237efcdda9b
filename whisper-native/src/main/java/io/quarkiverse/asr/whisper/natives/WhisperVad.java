package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A loaded voice activity detection model ({@code whisper_vad_context}, whisper.cpp 1.7.6 and later), which
 * finds the speech in audio. Thread-safe: calls are serialized, since the context keeps the state of the last
 * detection. {@link #close()} may come from any thread; the memory is freed once no call runs.
 */
public final class WhisperVad implements AutoCloseable {

    private final WhisperBindings.Vad vad;
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final Path modelFile;

    /** Takes ownership of {@code vctx}, a non-NULL {@code whisper_vad_context *}. */
    WhisperVad(WhisperBindings.Vad vad, MemorySegment vctx, Path modelFile) {
        this.vad = vad;
        this.modelFile = modelFile;
        this.handle = new NativeHandle("The VAD model " + modelFile, vctx, vad::free);
        this.cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /**
     * Loads a VAD model after checking its file, so that a truncated or foreign file fails with an exception
     * instead of crashing the JVM in whisper.cpp.
     *
     * @param threads CPU threads, or 0 for whisper.cpp's default (4)
     * @throws WhisperModelException if the file is unusable or whisper.cpp rejects it
     */
    static WhisperVad load(WhisperBindings.Vad vad, Path modelFile, int threads) {
        Path file = modelFile.toAbsolutePath().normalize();
        WhisperModelFile.validateVad(file);
        MemorySegment vctx;
        try (Arena arena = Arena.ofConfined()) {
            var params = new WhisperVadContextParamsStruct(vad.defaultContextParams(arena));
            if (threads > 0) {
                params.nThreads(threads);
            }
            vctx = vad.initFromFileWithParams(arena.allocateFrom(file.toString()), params.segment());
        }
        if (vctx.address() == 0) {
            throw new WhisperModelException("whisper.cpp could not load the VAD model " + file + " (see log category "
                    + NativeLog.CATEGORY + " for the reason)");
        }
        return new WhisperVad(vad, vctx, file);
    }

    /**
     * The speech in {@code pcm16kMono}, in order.
     *
     * @param params thresholds; {@link VadParams#defaults()} for whisper.cpp's
     * @throws WhisperNativeException if whisper.cpp fails
     * @throws IllegalStateException if this model is closed
     */
    public synchronized List<SpeechSegment> detectSpeech(float[] pcm16kMono, VadParams params) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        Objects.requireNonNull(params, "params");
        if (pcm16kMono.length == 0) {
            return List.of();
        }
        MemorySegment vctx = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            WhisperVadParamsStruct nativeParams = new WhisperVadParamsStruct(arena.allocate(WhisperVadParamsStruct.LAYOUT));
            nativeParams.set(params);
            MemorySegment segments = vad.segmentsFromSamples(vctx, nativeParams.segment(),
                    arena.allocateFrom(JAVA_FLOAT, pcm16kMono), pcm16kMono.length);
            if (segments.address() == 0) {
                throw new WhisperNativeException("whisper_vad_segments_from_samples failed (see log category "
                        + NativeLog.CATEGORY + ")");
            }
            try {
                int count = vad.segmentsNSegments(segments);
                List<SpeechSegment> speech = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    speech.add(new SpeechSegment(Math.round(vad.segmentsGetSegmentT0(segments, i)),
                            Math.round(vad.segmentsGetSegmentT1(segments, i))));
                }
                return List.copyOf(speech);
            } finally {
                vad.freeSegments(segments);
            }
        } finally {
            handle.release();
        }
    }

    public Path modelFile() {
        return modelFile;
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "WhisperVad[" + modelFile + "]";
    }
}
