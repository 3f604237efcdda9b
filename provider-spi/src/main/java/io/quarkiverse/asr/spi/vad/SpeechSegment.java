package io.quarkiverse.asr.spi.vad;

/**
 * A stretch of speech on the audio's timeline, padded as {@link VadParameters#speechPadMs()} says.
 *
 * @param start seconds from the beginning of the audio
 * @param end seconds from the beginning of the audio, after {@code start}
 */
public record SpeechSegment(double start, double end) {

    public SpeechSegment {
        if (!(start >= 0 && end >= start)) {
            throw new IllegalArgumentException("a segment needs 0 <= start <= end, got " + start + " to " + end);
        }
    }
}
