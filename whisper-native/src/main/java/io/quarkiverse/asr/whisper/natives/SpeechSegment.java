package io.quarkiverse.asr.whisper.natives;

/**
 * A stretch of speech found by {@link WhisperVad}.
 *
 * @param t0Centis start in centiseconds (10 ms) from the beginning of the audio
 * @param t1Centis end in centiseconds
 */
public record SpeechSegment(long t0Centis, long t1Centis) {
}
