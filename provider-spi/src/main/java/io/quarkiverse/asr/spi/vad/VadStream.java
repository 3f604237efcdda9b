package io.quarkiverse.asr.spi.vad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Voice activity detection over a live stream: audio goes in as chunks of any length, and speech starts and ends
 * come out once they are certain. The rules are those of {@link SpeechSegments}, applied as the frames arrive:
 * <ul>
 * <li>speech starts at the first frame at or above the threshold, and is reported once it has lasted the minimum
 * speech duration (that long after it began), at its start less the padding (never before the previous end);</li>
 * <li>it ends at the first frame of a silence (below the threshold less 0.15) that lasts the minimum silence
 * duration and at least 200 ms (offline, speech resuming sooner is merged into the same segment), and is
 * reported then, at the silence's start plus the padding (at most what was received);</li>
 * <li>speech longer than the maximum is cut: an end and a new start at the same moment.</li>
 * </ul>
 * So a stream reports the segments that {@link SpeechSegments} finds in the same audio, give or take the
 * padding of close neighbours, each certain from 250 ms after its start and 200 ms after its end (with the
 * defaults). Memory is one frame however long the stream. Not thread-safe: one producer feeds a stream.
 */
public final class VadStream implements AutoCloseable {

    private final FrameClassifier classifier;
    private final int frameSamples;
    private final float threshold;
    private final float negativeThreshold;
    private final long minSpeechSamples;
    /** The silence that ends speech: the minimum silence, and no less than the gap that offline merges. */
    private final long endSilenceSamples;
    private final long maxSpeechSamples;
    private final long padSamples;
    private final float[] frame;
    private int filled;
    /** Samples classified so far: the end of the last frame. */
    private long position;
    private boolean triggered;
    private boolean confirmed;
    private long speechStart;
    /** Start of the silence inside the current speech, or -1. */
    private long silenceStart = -1;
    /** End of the last reported speech. */
    private long lastEnd;
    private boolean finished;

    /** Takes ownership of {@code classifier}. */
    public VadStream(FrameClassifier classifier, VadParameters parameters) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(parameters, "parameters");
        int rate = VoiceActivityDetector.SAMPLE_RATE;
        frameSamples = classifier.frameSamples();
        threshold = parameters.threshold();
        negativeThreshold = parameters.negativeThreshold();
        minSpeechSamples = (long) rate * parameters.minSpeechDurationMs() / 1000;
        endSilenceSamples = (long) rate * Math.max(parameters.minSilenceDurationMs(), SpeechSegments.MERGE_GAP_MS) / 1000;
        maxSpeechSamples = parameters.maxSpeechDurationSeconds() >= Long.MAX_VALUE / rate ? Long.MAX_VALUE
                : (long) (rate * (double) parameters.maxSpeechDurationSeconds());
        padSamples = (long) rate * parameters.speechPadMs() / 1000;
        frame = new float[frameSamples];
    }

    /**
     * Feeds the next samples.
     *
     * @param chunk 16 kHz mono samples in -1..1
     * @return the boundaries that these samples made certain, in order; often none
     * @throws IllegalStateException after {@link #finish()}
     */
    public List<VadEvent> accept(float[] chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (finished) {
            throw new IllegalStateException("the stream is finished");
        }
        List<VadEvent> events = new ArrayList<>(0);
        int offset = 0;
        while (offset < chunk.length) {
            int n = Math.min(chunk.length - offset, frameSamples - filled);
            System.arraycopy(chunk, offset, frame, filled, n);
            filled += n;
            offset += n;
            if (filled == frameSamples) {
                onFrame(classifier.next(frame, 0), events);
                filled = 0;
            }
        }
        return events;
    }

    /**
     * Ends the stream: classifies the last partial frame (padded with silence) and ends open speech at the end of
     * the audio.
     *
     * @return the remaining boundaries
     */
    public List<VadEvent> finish() {
        if (finished) {
            return List.of();
        }
        finished = true;
        List<VadEvent> events = new ArrayList<>(2);
        long audioEnd = position + filled;
        if (filled > 0) {
            Arrays.fill(frame, filled, frameSamples, 0f);
            onFrame(classifier.next(frame, 0), events);
        }
        if (triggered) {
            long end = silenceStart >= 0 ? Math.min(silenceStart + padSamples, audioEnd) : audioEnd;
            if (!confirmed && end - speechStart > minSpeechSamples) {
                start(events);
            }
            if (confirmed) {
                events.add(new VadEvent.SpeechEnded(seconds(Math.max(end, lastEnd))));
            }
        }
        return events;
    }

    /**
     * Seconds from which audio may still be reported as speech: a {@link VadEvent.SpeechStarted} not reported yet is
     * never earlier. Audio before it and outside the speech reported is silence for good, so a caller that gates
     * audio by speech need keep no more than what follows it.
     */
    public double undecidedFrom() {
        return seconds(Math.max(Math.max((triggered ? speechStart : position) - padSamples, 0), lastEnd));
    }

    /** Seconds of audio received. */
    public double received() {
        return seconds(position + filled);
    }

    private void onFrame(float probability, List<VadEvent> events) {
        long frameStart = position;
        position += frameSamples;
        if (probability >= threshold) {
            silenceStart = -1;
            if (!triggered) {
                triggered = true;
                speechStart = frameStart;
            }
        } else if (probability < negativeThreshold && triggered) {
            if (silenceStart < 0) {
                silenceStart = frameStart;
            }
            if (position - silenceStart >= endSilenceSamples) {
                if (confirmed) {
                    end(Math.min(silenceStart + padSamples, position), events);
                }
                triggered = false;
                confirmed = false;
                silenceStart = -1;
                return;
            }
        }
        if (triggered && !confirmed && (silenceStart >= 0 ? silenceStart : position) - speechStart >= minSpeechSamples) {
            start(events);
        }
        if (confirmed && position - speechStart > maxSpeechSamples) {
            end(position, events);
            events.add(new VadEvent.SpeechStarted(seconds(position)));
            speechStart = position;
        }
    }

    private void start(List<VadEvent> events) {
        confirmed = true;
        events.add(new VadEvent.SpeechStarted(seconds(Math.max(Math.max(speechStart - padSamples, 0), lastEnd))));
    }

    private void end(long at, List<VadEvent> events) {
        lastEnd = at;
        events.add(new VadEvent.SpeechEnded(seconds(at)));
    }

    private static double seconds(long samples) {
        return samples / (double) VoiceActivityDetector.SAMPLE_RATE;
    }

    @Override
    public void close() {
        classifier.close();
    }
}
