package io.quarkiverse.asr.spi.vad;

/**
 * The speech probability of consecutive frames of one audio stream. A recurrent model (Silero) carries its state
 * from each frame to the next, so one classifier serves one stream, in order, from one thread at a time.
 */
public interface FrameClassifier extends AutoCloseable {

    /** Samples per frame at {@link VoiceActivityDetector#SAMPLE_RATE}. */
    int frameSamples();

    /**
     * The probability that the next frame holds speech.
     *
     * @param samples 16 kHz mono samples in -1..1
     * @param offset where the frame's {@link #frameSamples()} samples start in {@code samples}
     * @throws IllegalStateException if closed
     */
    float next(float[] samples, int offset);

    /** Forgets the state, as at the start of a stream. */
    void reset();

    @Override
    void close();
}
