package io.quarkiverse.asr.whisper.runtime;

import java.util.Locale;

import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.whisper.natives.ComputeDevice;
import io.quarkiverse.asr.whisper.natives.WhisperLibrary;
import io.quarkiverse.asr.whisper.natives.WhisperLibraryException;

/**
 * What a whisper provider computes on, among the backends of the loaded whisper.cpp library.
 */
public enum ComputeBackend {

    /** A GPU when the library has one, else the CPU. */
    AUTO(null, null),
    /** The CPU, even when the library has a GPU backend. */
    CPU("CPU", null),
    /** NVIDIA GPUs through CUDA. */
    CUDA("CUDA", "-DGGML_CUDA=ON"),
    /** Apple GPUs through Metal. */
    METAL("Metal", "-DGGML_METAL=ON"),
    /** GPUs of most vendors through Vulkan. */
    VULKAN("Vulkan", "-DGGML_VULKAN=ON");

    /** The backend's name in ggml, {@code null} for any GPU. */
    private final String ggmlName;
    /** The CMake option that builds whisper.cpp with this backend. */
    private final String cmakeOption;

    ComputeBackend(String ggmlName, String cmakeOption) {
        this.ggmlName = ggmlName;
        this.cmakeOption = cmakeOption;
    }

    /**
     * The device of {@code library} this setting and {@code gpuDevice} select.
     *
     * @throws ProviderUnavailableException when the library lacks the backend or the GPU: the message names the
     *         library, its version and backends, and says which library to supply instead
     */
    ComputeDevice select(WhisperLibrary library, int gpuDevice) {
        try {
            return library.selectDevice(ggmlName, gpuDevice);
        } catch (WhisperLibraryException e) {
            String setting = "gpu=" + name().toLowerCase(Locale.ROOT) + (gpuDevice == 0 ? "" : " with gpu-device="
                    + gpuDevice);
            String build = cmakeOption == null ? ""
                    : " To compute on " + ggmlName + ", build whisper.cpp ("
                            + String.join(", ", WhisperLibrary.supportedVersions()) + ") with " + cmakeOption
                            + " -DBUILD_SHARED_LIBS=ON and set quarkus.asr.whisper.library-path to its libwhisper (see"
                            + " docs/gpu.md).";
            throw new ProviderUnavailableException(setting + " cannot be used. " + e.getMessage() + "." + build
                    + (gpuDevice == 0 ? "" : " Or set gpu-device to a GPU it has.") + " Or set gpu=auto or cpu.",
                    e);
        }
    }
}
