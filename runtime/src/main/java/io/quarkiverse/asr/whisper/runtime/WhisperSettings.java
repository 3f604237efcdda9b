package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.whisper.runtime.config.WhisperRuntimeConfig;

/**
 * Everything a {@link WhisperAsrProvider} needs besides its model, independent of Quarkus so that the provider can be
 * built in plain tests and benchmarks.
 *
 * @param libraryPath a user-supplied libwhisper, or empty for the bundled one
 * @param nativeCacheDir where the bundled libraries are extracted, or empty for the default
 * @param backend what the model computes on
 * @param gpuDevice the GPU among those of {@code backend}, counting from 0
 * @param flashAttention whether to use flash attention kernels, or empty for what the loaded library does by default
 *        (on from whisper.cpp 1.8.0)
 * @param loadOnStartup whether the model loads when the provider is created
 * @param maxConcurrent transcriptions running at once
 * @param maxQueued transcriptions waiting for a slot
 * @param timeout the longest a transcription may take, queueing included, or empty for no limit
 * @param threads CPU threads of one transcription
 * @param decoding decoding options that apply when a request leaves them unset (including whether to use VAD)
 * @param vadModel the Silero VAD model file, or empty for no voice activity detection
 * @param vadParameters the VAD thresholds
 */
public record WhisperSettings(Optional<Path> libraryPath, Optional<Path> nativeCacheDir, ComputeBackend backend,
        int gpuDevice, Optional<Boolean> flashAttention, boolean loadOnStartup, int maxConcurrent, int maxQueued,
        Optional<Duration> timeout, int threads, TranscriptionOptions decoding, Optional<Path> vadModel,
        VadParameters vadParameters) {

    public WhisperSettings {
        if (gpuDevice < 0) {
            throw new IllegalArgumentException("gpu-device must not be negative, got " + gpuDevice);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("max-concurrent-requests must be at least 1, got "
                    + maxConcurrent);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("max-queued-requests must not be negative, got "
                    + maxQueued);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (decoding.vad().orElse(false) && vadModel.isEmpty()) {
            throw new IllegalArgumentException("vad.enabled needs vad.model-path, the Silero VAD model file");
        }
    }

    /** Settings without voice activity detection. */
    public WhisperSettings(Optional<Path> libraryPath, Optional<Path> nativeCacheDir, ComputeBackend backend,
            int gpuDevice, Optional<Boolean> flashAttention, boolean loadOnStartup, int maxConcurrent, int maxQueued,
            Optional<Duration> timeout, int threads, TranscriptionOptions decoding) {
        this(libraryPath, nativeCacheDir, backend, gpuDevice, flashAttention, loadOnStartup, maxConcurrent, maxQueued,
                timeout, threads, decoding, Optional.empty(), VadParameters.defaults());
    }

    /** These settings with voice activity detection by {@code model}, off by default for file transcriptions. */
    public WhisperSettings withVad(Path model, VadParameters parameters) {
        return new WhisperSettings(libraryPath, nativeCacheDir, backend, gpuDevice, flashAttention, loadOnStartup,
                maxConcurrent, maxQueued, timeout, threads, decoding, Optional.of(model), parameters);
    }

    /**
     * The bundled library, a GPU if it has one, one request at a time, the library's flash attention and decoding
     * defaults.
     */
    public static WhisperSettings defaults() {
        return new WhisperSettings(Optional.empty(), Optional.empty(), ComputeBackend.AUTO, 0, Optional.empty(), true, 1, 16,
                Optional.empty(), defaultThreads(1), TranscriptionOptions.defaults());
    }

    /** The one place where configuration becomes settings and decoding defaults. */
    static WhisperSettings from(ComputeBackend backend, WhisperRuntimeConfig global,
            WhisperRuntimeConfig.ProviderRuntimeConfig config) {
        TranscriptionOptions defaults = TranscriptionOptions.builder()
                .language(config.language())
                .translate(config.translate())
                .initialPrompt(config.initialPrompt().orElse(null))
                .temperature(config.temperature())
                .beamSize(config.beamSize().isPresent() ? config.beamSize().getAsInt() : null)
                .bestOf(config.bestOf().isPresent() ? config.bestOf().getAsInt() : null)
                .noSpeechThreshold(config.noSpeechThreshold().orElse(null))
                .timestamps(config.timestamps())
                .wordTimestamps(config.wordTimestamps())
                .vad(config.vad().enabled())
                .build();
        WhisperRuntimeConfig.VadConfig vad = config.vad();
        VadParameters vadParameters = VadParameters.of(vad.threshold(), vad.minSpeechDuration(),
                vad.minSilenceDuration(), vad.speechPad());
        return new WhisperSettings(global.libraryPath(), global.nativeCacheDir(), backend, config.gpuDevice(),
                config.flashAttention(), config.loadOnStartup(), config.maxConcurrentRequests(),
                config.maxQueuedRequests(), config.timeout(),
                config.threads().orElse(defaultThreads(config.maxConcurrentRequests())), defaults, vad.modelPath(),
                vadParameters);
    }

    /**
     * The cores shared among the transcriptions that may run at once, at most 4. More compute threads than cores make
     * ggml's threads, which meet after every operation, wait for each other's turn on a core; beyond 4 threads the
     * small models whisper.cpp runs on CPUs gain little.
     */
    static int defaultThreads(int maxConcurrent) {
        return Math.clamp(Runtime.getRuntime().availableProcessors() / Math.max(1, maxConcurrent), 1, 4);
    }
}
