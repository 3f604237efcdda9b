package io.quarkiverse.asr.whisper.natives;

/**
 * Options for loading a model ({@code whisper_context_params}).
 *
 * @param useGpu use a GPU backend when the library was built with one (the bundled macOS arm64 build uses
 *        Metal; the bundled Linux builds are CPU-only and ignore this)
 * @param flashAttention use flash attention kernels
 * @param gpuDevice index of the GPU to use, as the library's release counts them; {@link WhisperLibrary#selectDevice}
 *        gives both GPU values for a chosen device
 */
public record ContextParams(boolean useGpu, boolean flashAttention, int gpuDevice) {

    public ContextParams {
        if (gpuDevice < 0) {
            throw new IllegalArgumentException("gpuDevice must not be negative: " + gpuDevice);
        }
    }

    /**
     * GPU on, flash attention off, device 0: whisper.cpp's defaults up to 1.7.6 (1.8.0 turned flash attention on;
     * these values are written explicitly, so pass {@code true} to have it with a 1.8 library).
     */
    public static ContextParams defaults() {
        return new ContextParams(true, false, 0);
    }
}
