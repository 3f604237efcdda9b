package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Mirror of {@code whisper_vad_params} as declared in whisper.h of whisper.cpp v1.7.6 to v1.9.3 (unchanged
 * there; older releases have no VAD). Passed by value to {@code whisper_vad_segments_from_samples} and nested
 * in {@code whisper_full_params}.
 */
final class WhisperVadParamsStruct {

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_FLOAT.withName("threshold"),
            JAVA_INT.withName("min_speech_duration_ms"),
            JAVA_INT.withName("min_silence_duration_ms"),
            JAVA_FLOAT.withName("max_speech_duration_s"),
            JAVA_INT.withName("speech_pad_ms"),
            JAVA_FLOAT.withName("samples_overlap"))
            .withName("whisper_vad_params");

    private static final long THRESHOLD = LAYOUT.byteOffset(groupElement("threshold"));
    private static final long MIN_SPEECH_DURATION_MS = LAYOUT.byteOffset(groupElement("min_speech_duration_ms"));
    private static final long MIN_SILENCE_DURATION_MS = LAYOUT.byteOffset(groupElement("min_silence_duration_ms"));
    private static final long MAX_SPEECH_DURATION_S = LAYOUT.byteOffset(groupElement("max_speech_duration_s"));
    private static final long SPEECH_PAD_MS = LAYOUT.byteOffset(groupElement("speech_pad_ms"));
    private static final long SAMPLES_OVERLAP = LAYOUT.byteOffset(groupElement("samples_overlap"));

    private final MemorySegment segment;

    WhisperVadParamsStruct(MemorySegment segment) {
        this.segment = segment.asSlice(0, LAYOUT);
    }

    MemorySegment segment() {
        return segment;
    }

    /** Copies {@code params} into the struct. */
    void set(VadParams params) {
        threshold(params.threshold());
        minSpeechDurationMs(params.minSpeechDurationMs());
        minSilenceDurationMs(params.minSilenceDurationMs());
        maxSpeechDurationS(params.maxSpeechDurationSeconds());
        speechPadMs(params.speechPadMs());
        samplesOverlap(params.samplesOverlapSeconds());
    }

    VadParams get() {
        return new VadParams(threshold(), minSpeechDurationMs(), minSilenceDurationMs(), maxSpeechDurationS(),
                speechPadMs(), samplesOverlap());
    }

    float threshold() {
        return segment.get(JAVA_FLOAT, THRESHOLD);
    }

    void threshold(float value) {
        segment.set(JAVA_FLOAT, THRESHOLD, value);
    }

    int minSpeechDurationMs() {
        return segment.get(JAVA_INT, MIN_SPEECH_DURATION_MS);
    }

    void minSpeechDurationMs(int value) {
        segment.set(JAVA_INT, MIN_SPEECH_DURATION_MS, value);
    }

    int minSilenceDurationMs() {
        return segment.get(JAVA_INT, MIN_SILENCE_DURATION_MS);
    }

    void minSilenceDurationMs(int value) {
        segment.set(JAVA_INT, MIN_SILENCE_DURATION_MS, value);
    }

    float maxSpeechDurationS() {
        return segment.get(JAVA_FLOAT, MAX_SPEECH_DURATION_S);
    }

    void maxSpeechDurationS(float value) {
        segment.set(JAVA_FLOAT, MAX_SPEECH_DURATION_S, value);
    }

    int speechPadMs() {
        return segment.get(JAVA_INT, SPEECH_PAD_MS);
    }

    void speechPadMs(int value) {
        segment.set(JAVA_INT, SPEECH_PAD_MS, value);
    }

    float samplesOverlap() {
        return segment.get(JAVA_FLOAT, SAMPLES_OVERLAP);
    }

    void samplesOverlap(float value) {
        segment.set(JAVA_FLOAT, SAMPLES_OVERLAP, value);
    }
}
