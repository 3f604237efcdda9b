package io.quarkiverse.asr.whisper.natives;

/**
 * Thresholds of whisper.cpp's voice activity detection ({@code whisper_vad_params}, whisper.cpp 1.7.6 and later).
 *
 * @param threshold speech probability from which a 32 ms window counts as speech (default 0.5)
 * @param minSpeechDurationMs shorter speech is dropped (default 250)
 * @param minSilenceDurationMs shorter silence does not end speech (default 100)
 * @param maxSpeechDurationSeconds longer speech is split (default {@link Float#MAX_VALUE}: never)
 * @param speechPadMs padding added before and after each speech segment (default 30)
 * @param samplesOverlapSeconds audio kept after each speech segment but the last when transcribing only speech
 *        (default 0.1)
 */
public record VadParams(float threshold, int minSpeechDurationMs, int minSilenceDurationMs,
        float maxSpeechDurationSeconds, int speechPadMs, float samplesOverlapSeconds) {

    public VadParams {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1]: " + threshold);
        }
        if (minSpeechDurationMs < 0 || minSilenceDurationMs < 0 || speechPadMs < 0) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (!(maxSpeechDurationSeconds > 0) || !(samplesOverlapSeconds >= 0)) {
            throw new IllegalArgumentException("maxSpeechDurationSeconds must be positive and samplesOverlapSeconds"
                    + " not negative");
        }
    }

    /** whisper_vad_default_params() of whisper.cpp 1.7.6 to 1.9.3. */
    public static VadParams defaults() {
        return new VadParams(0.5f, 250, 100, Float.MAX_VALUE, 30, 0.1f);
    }
}
