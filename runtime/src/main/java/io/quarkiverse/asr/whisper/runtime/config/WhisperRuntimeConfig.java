package io.quarkiverse.asr.whisper.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;

/**
 * Whisper settings read when the application starts.
 */
@ConfigMapping(prefix = "quarkus.asr.whisper")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface WhisperRuntimeConfig {

    /**
     * The path of a libwhisper shared library to use instead of the bundled whisper.cpp 1.7.1 CPU build, for example
     * one built with CUDA or Vulkan. Its ggml libraries must be found by the system loader (next to it, or through its
     * rpath).
     */
    Optional<Path> libraryPath();

    /**
     * The folder the bundled native libraries are extracted to.
     */
    @ConfigDocDefault("${user.home}/.cache/quarkus-asr/natives")
    Optional<Path> nativeCacheDir();

    /**
     * The default provider.
     */
    @WithParentName
    ProviderRuntimeConfig defaultConfig();

    /**
     * Named providers, see {@code quarkus.asr.whisper."provider-name".model}.
     */
    @ConfigDocSection
    @ConfigDocMapKey("provider-name")
    @WithParentName
    @WithDefaults
    Map<String, ProviderRuntimeConfig> namedConfig();

    /**
     * Run-time settings of one provider.
     */
    @ConfigGroup
    interface ProviderRuntimeConfig {

        /**
         * Whether the model is loaded when the application starts. When {@code false}, it is loaded by the first
         * transcription, which then takes longer.
         */
        @WithDefault("true")
        boolean loadOnStartup();

        /**
         * The GPU to use, counting from 0: among the GPUs of the backend {@code gpu} names, or among all the
         * library's GPUs with {@code gpu=auto}, in the order of ggml's device registry. Per provider, so that models
         * can be spread over several GPUs; read at start-up, because GPU numbering belongs to the machine that runs
         * the application. Ignored with {@code gpu=cpu}.
         */
        @WithDefault("0")
        int gpuDevice();

        /**
         * Whether the model computes attention with flash attention kernels. By default, what the loaded library
         * does by default: on with whisper.cpp 1.8.0 and later (a library given by {@code library-path}), off with the
         * bundled 1.7.1 and other 1.7 releases. From 1.8.0 whisper.cpp and its {@code whisper-server} turn it on
         * because its kernels are faster on CPUs too (with 1.9.3 on the CPU, about a fifth less CPU time per
         * transcription, see the benchmarks documentation); the 1.7 releases have the switch but default it off,
         * and their transcripts are what the bundled library is known to produce.
         */
        @ConfigDocDefault("true with whisper.cpp 1.8.0 and later, false before")
        Optional<Boolean> flashAttention();

        /**
         * How many transcriptions run at the same time. Each one holds its own decoding state (tens to hundreds of MB,
         * depending on the model) and uses {@code threads} CPU threads.
         */
        @WithDefault("1")
        int maxConcurrentRequests();

        /**
         * How many transcriptions may wait for a free slot. Requests beyond that fail at once with
         * {@code OverloadedException} (HTTP 503 at an HTTP edge).
         */
        @WithDefault("16")
        int maxQueuedRequests();

        /**
         * How long one transcription may take, queueing included, before it is cancelled. No limit when unset.
         */
        Optional<Duration> timeout();

        /**
         * CPU threads per transcription. Defaults to the available processors divided by
         * {@link #maxConcurrentRequests() max-concurrent-requests}, at least 1 and at most 4, so that transcriptions
         * running together do not ask for more threads than there are cores.
         */
        OptionalInt threads();

        // Decoding defaults, each overridable per request through TranscriptionOptions.

        /**
         * The spoken language as an ISO 639-1 code ({@code en}, {@code de}...), or {@code auto} to detect it.
         * English-only models ({@code *.en}) always transcribe English.
         */
        @WithDefault("auto")
        String language();

        /**
         * Whether to translate the speech into English.
         */
        @WithDefault("false")
        boolean translate();

        /**
         * Text that conditions the decoder, such as spellings of names or domain words.
         */
        Optional<String> initialPrompt();

        /**
         * The initial sampling temperature. 0 decodes greedily; whisper raises it on decoding failures.
         */
        @WithDefault("0")
        float temperature();

        /**
         * The beam width. When set above 1, beam search is used instead of greedy decoding: slower, often more
         * accurate.
         */
        OptionalInt beamSize();

        /**
         * The number of candidates sampled at temperatures above 0.
         */
        OptionalInt bestOf();

        /**
         * The no-speech probability above which whisper treats a window as silence, when its decoding also fails the
         * log-probability threshold. Between 0 and 1; whisper.cpp's default (0.6) when unset.
         */
        Optional<Float> noSpeechThreshold();

        /**
         * Whether segments carry timestamps.
         */
        @WithDefault("true")
        boolean timestamps();

        /**
         * Whether segments carry words with their own timestamps and probabilities.
         */
        @WithDefault("true")
        boolean wordTimestamps();

        /**
         * Voice activity detection: skipping silence in file transcriptions and gating live streams.
         */
        VadConfig vad();
    }

    /**
     * Voice activity detection with Silero VAD: through whisper.cpp's own VAD for file transcriptions where the
     * library has it (1.7.6 and later), through the provider SPI's Java implementation of the same network otherwise
     * and for live streams.
     */
    @ConfigGroup
    interface VadConfig {

        /**
         * The Silero VAD model in whisper.cpp's ggml format, {@code ggml-silero-v6.2.0.bin}. Needed for any voice
         * activity detection: without it, a request for it fails with {@code UnsupportedFeatureException}. Checked
         * and loaded when the provider starts. (Not {@code vad.model}: that would name a provider {@code vad}.)
         */
        Optional<Path> modelPath();

        /**
         * Whether file transcriptions skip non-speech by default; a request's {@code vad} option overrides it.
         * Live streams ask for it in their {@code StreamingOptions}. Needs {@code model-path}.
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * The speech probability, 0 to 1, from which a 32 ms frame counts as speech; speech ends below 0.15 less.
         */
        @WithDefault("0.5")
        float threshold();

        /**
         * Shorter speech is ignored.
         */
        @WithDefault("250ms")
        Duration minSpeechDuration();

        /**
         * A shorter silence does not end speech in file transcriptions (a live stream's {@code vadSilence} is its own).
         */
        @WithDefault("100ms")
        Duration minSilenceDuration();

        /**
         * Audio kept before and after each stretch of speech.
         */
        @WithDefault("30ms")
        Duration speechPad();
    }
}
