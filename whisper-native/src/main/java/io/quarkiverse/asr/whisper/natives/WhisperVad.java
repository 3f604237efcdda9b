package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded voice activity detection model ({@code whisper_vad_context}, whisper.cpp 1.7.6 and later), which
 * finds the speech in audio. Thread-safe: calls are serialized, since the context keeps the state of the last
 * detection. {@link #close()} may come from any thread; the memory is freed once no call runs.
 */
public final class WhisperVad implements AutoCloseable {

    private static final AtomicInteger LIVE = new AtomicInteger();

    /** Samples per probability: Silero's window, which whisper.cpp reads from the model file. */
    static final int WINDOW = 512;

    private final WhisperBindings.Vad vad;
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final Path modelFile;

    /** Takes ownership of {@code vctx}, a non-NULL {@code whisper_vad_context *}. */
    WhisperVad(WhisperBindings.Vad vad, MemorySegment vctx, Path modelFile) {
        this.vad = vad;
        this.modelFile = modelFile;
        this.handle = new NativeHandle("The VAD model " + modelFile, vctx, vad::free, LIVE);
        this.cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /**
     * VAD models loaded and not yet freed in this process. A diagnostic: an application that closed what it loaded
     * leaves this where it found it.
     */
    public static int liveCount() {
        return LIVE.get();
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

    /** What {@link #detect} finds: one speech probability per 512-sample window, and the speech in order. */
    public record Detection(float[] probabilities, List<SpeechSegment> segments) {
    }

    /**
     * The speech in {@code pcm16kMono}, in order.
     *
     * @param params thresholds; {@link VadParams#defaults()} for whisper.cpp's
     * @throws WhisperNativeException if whisper.cpp fails
     * @throws IllegalStateException if this model is closed
     */
    public List<SpeechSegment> detectSpeech(float[] pcm16kMono, VadParams params) {
        return detect(pcm16kMono, params).segments();
    }

    /**
     * Runs the model over {@code pcm16kMono} from its initial state ({@code whisper_vad_detect_speech}; the last
     * partial window is padded with silence), then turns its probabilities into speech segments
     * ({@code whisper_vad_segments_from_probs}).
     *
     * @param params thresholds; {@link VadParams#defaults()} for whisper.cpp's
     * @throws WhisperNativeException if whisper.cpp fails
     * @throws IllegalStateException if this model is closed
     */
    public synchronized Detection detect(float[] pcm16kMono, VadParams params) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        Objects.requireNonNull(params, "params");
        if (pcm16kMono.length == 0) {
            return new Detection(new float[0], List.of());
        }
        MemorySegment vctx = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            if (!vad.detectSpeech(vctx, arena.allocateFrom(JAVA_FLOAT, pcm16kMono), pcm16kMono.length)) {
                throw new WhisperNativeException("whisper_vad_detect_speech failed (see log category "
                        + NativeLog.CATEGORY + ")");
            }
            float[] probabilities = probabilities(vctx, (pcm16kMono.length + WINDOW - 1) / WINDOW);
            WhisperVadParamsStruct nativeParams = new WhisperVadParamsStruct(arena.allocate(WhisperVadParamsStruct.LAYOUT));
            nativeParams.set(params);
            MemorySegment segments = vad.segmentsFromProbs(vctx, nativeParams.segment());
            if (segments.address() == 0) {
                throw new WhisperNativeException("whisper_vad_segments_from_probs failed (see log category "
                        + NativeLog.CATEGORY + ")");
            }
            try {
                int count = vad.segmentsNSegments(segments);
                List<SpeechSegment> speech = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    speech.add(new SpeechSegment(Math.round(vad.segmentsGetSegmentT0(segments, i)),
                            Math.round(vad.segmentsGetSegmentT1(segments, i))));
                }
                return new Detection(probabilities, List.copyOf(speech));
            } finally {
                vad.freeSegments(segments);
            }
        } finally {
            handle.release();
        }
    }

    /** Copies the context's probabilities, after checking that there is one for each of the {@code expected} windows. */
    private float[] probabilities(MemorySegment vctx, int expected) {
        int count = vad.nProbs(vctx);
        MemorySegment probs = vad.probs(vctx);
        if (count != expected || probs.address() == 0) {
            throw new WhisperNativeException("whisper_vad_detect_speech left " + count + " probabilities"
                    + (probs.address() == 0 ? " at NULL" : "") + " for " + expected + " windows of " + WINDOW
                    + " samples; the model's window is not " + WINDOW);
        }
        return probs.reinterpret(count * JAVA_FLOAT.byteSize()).toArray(JAVA_FLOAT);
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
