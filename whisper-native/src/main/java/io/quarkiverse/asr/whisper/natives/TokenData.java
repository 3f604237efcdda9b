package io.quarkiverse.asr.whisper.natives;

/**
 * One decoded token.
 *
 * @param id token id in the model vocabulary
 * @param text the token's text; a token may hold part of a multi-byte character, which then shows as U+FFFD
 *        here while the segment text has it whole
 * @param p probability of the token
 * @param plog log probability of the token
 * @param t0Centis start, in centiseconds (10 ms), only meaningful with token timestamps enabled
 * @param t1Centis end, in centiseconds, only meaningful with token timestamps enabled
 * @param special a control or timestamp token (id at or above end-of-text), not speech
 */
public record TokenData(int id, String text, float p, float plog, long t0Centis, long t1Centis, boolean special) {
}
