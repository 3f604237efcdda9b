package io.quarkiverse.asr.whisper.natives;

import java.util.Optional;

/**
 * Where a model computes: the CPU, or one GPU of the loaded library's backends, with the
 * {@code whisper_context_params} values that make the library's release use it. {@link WhisperLibrary#selectDevice}
 * chooses it.
 *
 * @param backend "CPU", or the GPU backend's name as the library reports it ("CUDA", "Metal", "MTL", "Vulkan", ...)
 * @param device the device as ggml's registry lists it; empty for a backend that only the system info reports
 * @param useGpu {@code use_gpu}
 * @param gpuDevice {@code gpu_device}: the device's index among the GPUs, as the library's release counts them
 */
public record ComputeDevice(String backend, Optional<Backend.Device> device, boolean useGpu, int gpuDevice) {

    /** The parameters that load a model onto this device. */
    public ContextParams contextParams(boolean flashAttention) {
        return new ContextParams(useGpu, flashAttention, gpuDevice);
    }

    /** The device's name and description ("CUDA0 (NVIDIA H100 80GB HBM3)"), or the backend's name when not listed. */
    public String describe() {
        return device.map(NativeBackends::label).orElse(backend);
    }
}
