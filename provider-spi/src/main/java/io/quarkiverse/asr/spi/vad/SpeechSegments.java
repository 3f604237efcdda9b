package io.quarkiverse.asr.spi.vad;

import java.util.ArrayList;
import java.util.List;

/**
 * Speech segments from per-frame speech probabilities: Silero's {@code get_speech_timestamps} rules exactly as
 * whisper.cpp 1.9.3 applies them ({@code whisper_vad_segments_from_probs}), so that the same probabilities give
 * the same segments, to the centisecond, on either side.
 */
public final class SpeechSegments {

    /** whisper.cpp rounds segment bounds to centiseconds. */
    private static final double CENTIS = 100.0;
    /** A silence this long inside speech is where over-long speech may be split (Silero's 98 ms). */
    private static final int SPLIT_SILENCE_MS = 98;
    /** Segments closer than this are merged. */
    static final int MERGE_GAP_MS = 200;

    private SpeechSegments() {
    }

    /**
     * @param probabilities one per frame, in order
     * @param frameSamples samples per frame at 16 kHz
     */
    public static List<SpeechSegment> of(float[] probabilities, int frameSamples, VadParameters parameters) {
        if (frameSamples <= 0) {
            throw new IllegalArgumentException("frameSamples must be positive, got " + frameSamples);
        }
        int rate = VoiceActivityDetector.SAMPLE_RATE;
        float threshold = parameters.threshold();
        float negativeThreshold = parameters.negativeThreshold();
        int minSilenceSamples = rate * parameters.minSilenceDurationMs() / 1000;
        int minSpeechSamples = rate * parameters.minSpeechDurationMs() / 1000;
        int padSamples = rate * parameters.speechPadMs() / 1000;
        int audioLength = probabilities.length * frameSamples;
        int maxSpeechSamples = maxSpeechSamples(parameters.maxSpeechDurationSeconds(), frameSamples, padSamples);
        int splitSilenceSamples = rate * SPLIT_SILENCE_MS / 1000;

        List<int[]> speeches = new ArrayList<>();
        boolean inSpeech = false;
        boolean hasSpeech = false;
        int tempEnd = 0;
        int prevEnd = 0;
        int nextStart = 0;
        int speechStart = 0;
        for (int i = 0; i < probabilities.length; i++) {
            float probability = probabilities[i];
            int sample = frameSamples * i;
            if (probability >= threshold && tempEnd != 0) {
                tempEnd = 0;
                if (nextStart < prevEnd) {
                    nextStart = sample;
                }
            }
            if (probability >= threshold && !inSpeech) {
                inSpeech = true;
                speechStart = sample;
                hasSpeech = true;
                continue;
            }
            if (inSpeech && sample - speechStart > maxSpeechSamples) {
                if (prevEnd != 0) {
                    speeches.add(new int[] { speechStart, prevEnd });
                    hasSpeech = true;
                    if (nextStart < prevEnd) {
                        inSpeech = false;
                        hasSpeech = false;
                    } else {
                        speechStart = nextStart;
                    }
                    prevEnd = nextStart = tempEnd = 0;
                } else {
                    speeches.add(new int[] { speechStart, sample });
                    prevEnd = nextStart = tempEnd = 0;
                    inSpeech = false;
                    hasSpeech = false;
                    continue;
                }
            }
            if (probability < negativeThreshold && inSpeech) {
                if (tempEnd == 0) {
                    tempEnd = sample;
                }
                if (sample - tempEnd > splitSilenceSamples) {
                    prevEnd = tempEnd;
                }
                if (sample - tempEnd < minSilenceSamples) {
                    continue;
                }
                if (tempEnd - speechStart > minSpeechSamples) {
                    speeches.add(new int[] { speechStart, tempEnd });
                }
                prevEnd = nextStart = tempEnd = 0;
                inSpeech = false;
                hasSpeech = false;
            }
        }
        if (hasSpeech && audioLength - speechStart > minSpeechSamples) {
            speeches.add(new int[] { speechStart, audioLength });
        }

        int mergeGapSamples = rate * MERGE_GAP_MS / 1000;
        for (int i = 0; i < speeches.size() - 1; i++) {
            if (speeches.get(i + 1)[0] - speeches.get(i)[1] < mergeGapSamples) {
                speeches.get(i)[1] = speeches.remove(i + 1)[1];
                i--;
            }
        }
        speeches.removeIf(speech -> speech[1] - speech[0] < minSpeechSamples);

        List<SpeechSegment> segments = new ArrayList<>(speeches.size());
        for (int i = 0; i < speeches.size(); i++) {
            int[] speech = speeches.get(i);
            if (i == 0) {
                speech[0] = Math.max(speech[0] - padSamples, 0);
            }
            if (i < speeches.size() - 1) {
                int[] next = speeches.get(i + 1);
                int silence = next[0] - speech[1];
                if (silence < 2 * padSamples) {
                    // close neighbours share the gap
                    speech[1] += silence / 2;
                    next[0] = Math.max(next[0] - silence / 2, 0);
                } else {
                    speech[1] = Math.min(speech[1] + padSamples, audioLength);
                    next[0] = Math.max(next[0] - padSamples, 0);
                }
            } else {
                speech[1] = Math.min(speech[1] + padSamples, audioLength);
            }
            segments.add(new SpeechSegment(centis(speech[0]) / CENTIS, centis(speech[1]) / CENTIS));
        }
        return List.copyOf(segments);
    }

    private static int maxSpeechSamples(float maxSpeechSeconds, int frameSamples, int padSamples) {
        if (maxSpeechSeconds > 100_000f) {
            return Integer.MAX_VALUE / 2;
        }
        long samples = (long) VoiceActivityDetector.SAMPLE_RATE * (long) maxSpeechSeconds - frameSamples
                - 2L * padSamples;
        return samples < 0 || samples > Integer.MAX_VALUE ? Integer.MAX_VALUE / 2 : (int) samples;
    }

    /** whisper.cpp's {@code samples_to_cs}. */
    private static long centis(int samples) {
        return (long) (samples / (double) VoiceActivityDetector.SAMPLE_RATE * CENTIS + 0.5);
    }
}
