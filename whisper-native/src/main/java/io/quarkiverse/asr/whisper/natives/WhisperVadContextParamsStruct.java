package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Mirror of {@code struct whisper_vad_context_params} as declared in whisper.h of whisper.cpp v1.7.6 to v1.9.3
 * (unchanged there), returned and passed by value.
 */
final class WhisperVadContextParamsStruct {

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("n_threads"),
            JAVA_BOOLEAN.withName("use_gpu"),
            MemoryLayout.paddingLayout(3),
            JAVA_INT.withName("gpu_device"))
            .withName("whisper_vad_context_params");

    private static final long N_THREADS = LAYOUT.byteOffset(groupElement("n_threads"));
    private static final long USE_GPU = LAYOUT.byteOffset(groupElement("use_gpu"));
    private static final long GPU_DEVICE = LAYOUT.byteOffset(groupElement("gpu_device"));

    private final MemorySegment segment;

    WhisperVadContextParamsStruct(MemorySegment segment) {
        this.segment = segment.asSlice(0, LAYOUT);
    }

    MemorySegment segment() {
        return segment;
    }

    int nThreads() {
        return segment.get(JAVA_INT, N_THREADS);
    }

    void nThreads(int value) {
        segment.set(JAVA_INT, N_THREADS, value);
    }

    boolean useGpu() {
        return segment.get(JAVA_BOOLEAN, USE_GPU);
    }

    void useGpu(boolean value) {
        segment.set(JAVA_BOOLEAN, USE_GPU, value);
    }

    int gpuDevice() {
        return segment.get(JAVA_INT, GPU_DEVICE);
    }

    void gpuDevice(int value) {
        segment.set(JAVA_INT, GPU_DEVICE, value);
    }
}
