package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Mirror of {@code struct whisper_context_params} as declared in whisper.h of whisper.cpp v1.7.0 to v1.9.3
 * (unchanged there), with explicit paddings so that offsets and size equal the C struct on LP64. Only the
 * defaults moved: {@code flash_attn} is true from 1.8.0 on.
 */
final class WhisperContextParamsStruct {

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BOOLEAN.withName("use_gpu"),
            JAVA_BOOLEAN.withName("flash_attn"),
            MemoryLayout.paddingLayout(2),
            JAVA_INT.withName("gpu_device"),
            JAVA_BOOLEAN.withName("dtw_token_timestamps"),
            MemoryLayout.paddingLayout(3),
            JAVA_INT.withName("dtw_aheads_preset"),
            JAVA_INT.withName("dtw_n_top"),
            MemoryLayout.paddingLayout(4),
            MemoryLayout.structLayout(
                    JAVA_LONG.withName("n_heads"),
                    ADDRESS.withName("heads")).withName("dtw_aheads"),
            JAVA_LONG.withName("dtw_mem_size"))
            .withName("whisper_context_params");

    private static final long USE_GPU = LAYOUT.byteOffset(groupElement("use_gpu"));
    private static final long FLASH_ATTN = LAYOUT.byteOffset(groupElement("flash_attn"));
    private static final long GPU_DEVICE = LAYOUT.byteOffset(groupElement("gpu_device"));
    private static final long DTW_TOKEN_TIMESTAMPS = LAYOUT.byteOffset(groupElement("dtw_token_timestamps"));
    private static final long DTW_AHEADS_PRESET = LAYOUT.byteOffset(groupElement("dtw_aheads_preset"));
    private static final long DTW_N_TOP = LAYOUT.byteOffset(groupElement("dtw_n_top"));
    private static final long DTW_AHEADS_N_HEADS = LAYOUT.byteOffset(groupElement("dtw_aheads"),
            groupElement("n_heads"));
    private static final long DTW_AHEADS_HEADS = LAYOUT.byteOffset(groupElement("dtw_aheads"), groupElement("heads"));
    private static final long DTW_MEM_SIZE = LAYOUT.byteOffset(groupElement("dtw_mem_size"));

    private final MemorySegment segment;

    /** Wraps {@code segment}, normally the memory returned by {@code whisper_context_default_params_by_ref}. */
    WhisperContextParamsStruct(MemorySegment segment) {
        this.segment = segment.asSlice(0, LAYOUT);
    }

    MemorySegment segment() {
        return segment;
    }

    boolean useGpu() {
        return segment.get(JAVA_BOOLEAN, USE_GPU);
    }

    void useGpu(boolean value) {
        segment.set(JAVA_BOOLEAN, USE_GPU, value);
    }

    boolean flashAttn() {
        return segment.get(JAVA_BOOLEAN, FLASH_ATTN);
    }

    void flashAttn(boolean value) {
        segment.set(JAVA_BOOLEAN, FLASH_ATTN, value);
    }

    int gpuDevice() {
        return segment.get(JAVA_INT, GPU_DEVICE);
    }

    void gpuDevice(int value) {
        segment.set(JAVA_INT, GPU_DEVICE, value);
    }

    boolean dtwTokenTimestamps() {
        return segment.get(JAVA_BOOLEAN, DTW_TOKEN_TIMESTAMPS);
    }

    void dtwTokenTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, DTW_TOKEN_TIMESTAMPS, value);
    }

    /** {@code enum whisper_alignment_heads_preset}, 0 = WHISPER_AHEADS_NONE. */
    int dtwAheadsPreset() {
        return segment.get(JAVA_INT, DTW_AHEADS_PRESET);
    }

    void dtwAheadsPreset(int value) {
        segment.set(JAVA_INT, DTW_AHEADS_PRESET, value);
    }

    int dtwNTop() {
        return segment.get(JAVA_INT, DTW_N_TOP);
    }

    void dtwNTop(int value) {
        segment.set(JAVA_INT, DTW_N_TOP, value);
    }

    long dtwAheadsNHeads() {
        return segment.get(JAVA_LONG, DTW_AHEADS_N_HEADS);
    }

    void dtwAheadsNHeads(long value) {
        segment.set(JAVA_LONG, DTW_AHEADS_N_HEADS, value);
    }

    /** {@code const whisper_ahead *}, {@link #dtwAheadsNHeads()} elements of {@code {int n_text_layer; int n_head;}}. */
    MemorySegment dtwAheadsHeads() {
        return segment.get(ADDRESS, DTW_AHEADS_HEADS);
    }

    void dtwAheadsHeads(MemorySegment value) {
        segment.set(ADDRESS, DTW_AHEADS_HEADS, value);
    }

    long dtwMemSize() {
        return segment.get(JAVA_LONG, DTW_MEM_SIZE);
    }

    void dtwMemSize(long value) {
        segment.set(JAVA_LONG, DTW_MEM_SIZE, value);
    }
}
