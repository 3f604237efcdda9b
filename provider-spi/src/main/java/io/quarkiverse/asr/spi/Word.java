package io.quarkiverse.asr.spi;

import java.time.Duration;

/**
 * One word with its timing.
 *
 * @param start estimated start time
 * @param end estimated end time
 * @param text the word without surrounding spaces
 * @param probability the mean probability of the word's tokens, 0 to 1, or {@code NaN} when the provider does not
 *        report it
 */
public record Word(Duration start, Duration end, String text, float probability) {
}
