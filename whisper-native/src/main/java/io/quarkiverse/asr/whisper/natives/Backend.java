package io.quarkiverse.asr.whisper.natives;

import java.util.List;

/**
 * A compute backend of the loaded library ({@link WhisperLibrary#backends()}): an entry of ggml's backend
 * registry with its devices, or a backend that whisper.cpp's system info reports and the registry does not list
 * (such as Metal in whisper.cpp 1.7.1 builds, or the Core ML and OpenVINO encoders), with no devices.
 *
 * @param name the backend's name as ggml gives it ("CPU", "CUDA", "Metal" (or "MTL" from whisper.cpp 1.8.4), "Vulkan",
 *        "BLAS", ...)
 * @param devices the devices it drives
 * @param registered whether ggml's registry lists it, and so its devices; false for a backend that only the system
 *        info reports, whose devices are not known
 */
public record Backend(String name, List<Device> devices, boolean registered) {

    public Backend {
        devices = List.copyOf(devices);
    }

    /**
     * A device of a backend.
     *
     * @param name ggml's device name (e.g. "CPU", "CUDA0")
     * @param description what ggml says it is (e.g. the CPU or GPU model)
     * @param type its kind
     * @param memoryFree free memory in bytes when {@link WhisperLibrary#backends()} was called; 0 where ggml
     *        does not tell
     * @param memoryTotal total memory in bytes; 0 where ggml does not tell
     */
    public record Device(String name, String description, DeviceType type, long memoryFree, long memoryTotal) {
    }

    /** {@code enum ggml_backend_dev_type}; whisper.cpp 1.7.0 and 1.7.1's CPU_FULL and GPU_FULL count as CPU and GPU. */
    public enum DeviceType {
        CPU,
        GPU,
        /** Integrated GPU (ggml of whisper.cpp 1.8.0 and later). */
        IGPU,
        /** Accelerator that works along the CPU, such as BLAS. */
        ACCEL,
        /** A virtual device spanning others (ggml of whisper.cpp 1.8.5 and later). */
        META,
        /** A code this binding does not know for the loaded release. */
        UNKNOWN
    }
}
