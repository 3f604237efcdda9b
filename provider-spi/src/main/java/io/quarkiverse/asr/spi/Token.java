package io.quarkiverse.asr.spi;

import java.time.Duration;

/**
 * One decoder token.
 *
 * @param id the token id in the model vocabulary
 * @param text the token text (may be a fragment of a UTF-8 character sequence, then it holds U+FFFD)
 * @param probability the probability the decoder gave this token, 0 to 1
 * @param start estimated start time
 * @param end estimated end time
 */
public record Token(int id, String text, float probability, Duration start, Duration end) {
}
