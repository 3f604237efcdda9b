package io.quarkiverse.asr.spi.vad;

import java.util.List;
import java.util.Objects;

/**
 * Finds speech in 16 kHz mono audio: a speech probability for each fixed-size frame, and from those the segments
 * of speech ({@link SpeechSegments}). Implementations are thread-safe; a {@link FrameClassifier} or a
 * {@link VadStream} belongs to one stream.
 */
public interface VoiceActivityDetector extends AutoCloseable {

    /** The only sample rate a detector takes; resample other audio first. */
    int SAMPLE_RATE = 16_000;

    /** Samples per probability frame (512, 32 ms, for Silero). */
    int frameSamples();

    /**
     * A classifier for one stream, starting from the model's initial state.
     *
     * @throws IllegalStateException if this detector is closed
     */
    FrameClassifier newClassifier();

    /**
     * One speech probability per frame of {@code pcm16kMono}; a last partial frame is padded with silence.
     *
     * @throws IllegalStateException if this detector is closed
     */
    default float[] speechProbabilities(float[] pcm16kMono) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        int frame = frameSamples();
        float[] probabilities = new float[(pcm16kMono.length + frame - 1) / frame];
        try (FrameClassifier classifier = newClassifier()) {
            int whole = pcm16kMono.length / frame;
            for (int i = 0; i < whole; i++) {
                probabilities[i] = classifier.next(pcm16kMono, i * frame);
            }
            if (whole < probabilities.length) {
                float[] last = new float[frame];
                System.arraycopy(pcm16kMono, whole * frame, last, 0, pcm16kMono.length - whole * frame);
                probabilities[whole] = classifier.next(last, 0);
            }
        }
        return probabilities;
    }

    /**
     * The speech in {@code pcm16kMono}, in order.
     *
     * @throws IllegalStateException if this detector is closed
     */
    default List<SpeechSegment> detectSpeech(float[] pcm16kMono, VadParameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        return SpeechSegments.of(speechProbabilities(pcm16kMono), frameSamples(), parameters);
    }

    /**
     * Live detection: feed chunks of any size, get speech starts and ends as soon as they are known.
     *
     * @throws IllegalStateException if this detector is closed
     */
    default VadStream openStream(VadParameters parameters) {
        return new VadStream(newClassifier(), parameters);
    }

    /** Releases the model; classifiers and streams already open may fail afterwards. */
    @Override
    void close();
}
