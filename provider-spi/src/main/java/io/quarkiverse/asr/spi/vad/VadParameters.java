package io.quarkiverse.asr.spi.vad;

import java.time.Duration;

/**
 * How per-frame speech probabilities become speech segments: Silero's rules, as whisper.cpp's
 * {@code whisper_vad_params} carries them.
 *
 * @param threshold probability from which a frame counts as speech; speech ends below {@code threshold - 0.15}
 *        (at least 0.01)
 * @param minSpeechDurationMs shorter speech is dropped
 * @param minSilenceDurationMs shorter silence does not end speech
 * @param maxSpeechDurationSeconds longer speech is split at a silence of at least 98 ms, or cut;
 *        {@link Float#MAX_VALUE} for never
 * @param speechPadMs added before and after each segment (half the gap where two segments are closer)
 */
public record VadParameters(float threshold, int minSpeechDurationMs, int minSilenceDurationMs,
        float maxSpeechDurationSeconds, int speechPadMs) {

    public VadParameters {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        if (minSpeechDurationMs < 0 || minSilenceDurationMs < 0 || speechPadMs < 0) {
            throw new IllegalArgumentException("durations must not be negative, got min speech " + minSpeechDurationMs
                    + " ms, min silence " + minSilenceDurationMs + " ms, padding " + speechPadMs + " ms");
        }
        if (!(maxSpeechDurationSeconds > 0)) {
            throw new IllegalArgumentException("maxSpeechDurationSeconds must be positive, got "
                    + maxSpeechDurationSeconds);
        }
    }

    /** Parameters from configured durations, speech never split by length. */
    public static VadParameters of(float threshold, Duration minSpeech, Duration minSilence, Duration speechPad) {
        return new VadParameters(threshold, Math.toIntExact(minSpeech.toMillis()),
                Math.toIntExact(minSilence.toMillis()), Float.MAX_VALUE, Math.toIntExact(speechPad.toMillis()));
    }

    /** whisper.cpp's defaults ({@code whisper_vad_default_params()}, 1.7.6 to 1.9.3), which are Silero's. */
    public static VadParameters defaults() {
        return new VadParameters(0.5f, 250, 100, Float.MAX_VALUE, 30);
    }

    /** The level below which speech ends. */
    float negativeThreshold() {
        return Math.max(threshold - 0.15f, 0.01f);
    }
}
