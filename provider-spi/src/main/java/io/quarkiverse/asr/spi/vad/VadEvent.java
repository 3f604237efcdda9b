package io.quarkiverse.asr.spi.vad;

/** A boundary of speech found by a {@link VadStream}, on the stream's timeline. */
public sealed interface VadEvent {

    /** Seconds from the beginning of the stream. */
    double at();

    /** Speech began at {@code at} (padding included), and has lasted at least the minimum speech duration. */
    record SpeechStarted(double at) implements VadEvent {
    }

    /** The speech that began at the last {@link SpeechStarted} ended at {@code at} (padding included). */
    record SpeechEnded(double at) implements VadEvent {
    }
}
