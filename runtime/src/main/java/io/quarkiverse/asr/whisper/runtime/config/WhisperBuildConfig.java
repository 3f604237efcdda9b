package io.quarkiverse.asr.whisper.runtime.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.quarkiverse.asr.whisper.runtime.ComputeBackend;
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
 * Whisper settings fixed when the application is built.
 */
@ConfigMapping(prefix = "quarkus.asr.whisper")
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
public interface WhisperBuildConfig {

    /**
     * The unnamed whisper provider, injected as {@code @AsrProviderName("whisper") AsrProvider}, and as
     * {@code @Inject AsrProvider} when whisper is the default provider ({@code quarkus.asr.provider}).
     */
    @WithParentName
    ModelBuildConfig defaultConfig();

    /**
     * Further providers, each with its own model, injected as {@code @Inject @AsrProviderName("name") AsrProvider}.
     */
    @ConfigDocSection
    @ConfigDocMapKey("provider-name")
    @WithParentName
    @WithDefaults
    Map<String, ModelBuildConfig> namedConfig();

    /**
     * The folder where models named by catalogue name are looked up.
     */
    @WithDefault("${user.home}/.cache/quarkus-asr/models")
    Path modelsDir();

    /**
     * Never download models: a catalogue model missing from {@code models-dir} fails the build with a message saying
     * how to get it. For builds without network access or where every download must be reviewed.
     */
    @WithDefault("false")
    boolean offline();

    /**
     * Model downloads.
     */
    DownloadConfig download();

    /**
     * How catalogue models missing from {@code models-dir} are downloaded when the application is built.
     */
    @ConfigGroup
    interface DownloadConfig {

        /**
         * Where catalogue models are downloaded from, as {@code <base-url>/ggml-<name>.bin}: whisper.cpp's model
         * repository by default, or a mirror with the same layout. The catalogue's checksums still apply.
         */
        @WithDefault("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/")
        URI baseUrl();

        /**
         * Refuse to download a model whose checksum is not known (quantised models for which whisper.cpp publishes
         * none), rather than check only its length and ggml structure and warn.
         */
        @WithDefault("false")
        boolean requireChecksum();

        /**
         * The longest wait for a connection to the download server.
         */
        @WithDefault("30S")
        Duration connectTimeout();

        /**
         * The longest wait for the server's answer, and then for more data, before the download fails; an
         * interrupted download resumes on the next build.
         */
        @WithDefault("60S")
        Duration readTimeout();
    }

    /**
     * Build-time settings of one provider.
     */
    @ConfigGroup
    interface ModelBuildConfig {

        /**
         * The whisper model: the path of a ggml model file (for example {@code models/ggml-base.en.bin}), or the name
         * of a model of the whisper.cpp catalogue (for example {@code tiny.en}, {@code base},
         * {@code large-v3-turbo-q5_0}), which resolves to {@code ggml-<name>.bin} in {@code models-dir}.
         * <p>
         * The model is checked when the application is built: the build fails when the file does not exist or is
         * not a complete whisper ggml model. With {@code model-url}, this is the path the download is stored as.
         */
        Optional<String> model();

        /**
         * Where to download a model from outside the catalogue (a fine-tuned one, for example) when its file is
         * missing: an http or https address. The file is stored as {@code model} when that is set, else under the
         * name the address ends with in {@code models-dir}. Downloaded when the application is built, like catalogue
         * models: checked against {@code model-checksum}, written atomically, resumed when interrupted, refused in
         * {@code offline} mode. A file already in place is used as it is. Not for catalogue names: for a mirror of
         * the catalogue, set {@code download.base-url}.
         */
        Optional<URI> modelUrl();

        /**
         * The checksum of the file at {@code model-url}: {@code sha256:<hex>}, {@code sha1:<hex>}, or bare hex (64
         * digits for SHA-256, 40 for SHA-1). Without it, only the length the server announces and the ggml
         * structure are checked, with a warning, or the download is refused when {@code download.require-checksum}
         * is set.
         */
        Optional<String> modelChecksum();

        /**
         * What the model computes on: {@code auto} uses a GPU when the loaded whisper.cpp library has a GPU backend
         * and the CPU otherwise; {@code cpu} always the CPU; {@code cuda}, {@code metal} and {@code vulkan} that
         * backend. The bundled library computes on the CPU (with Metal on macOS arm64): for a GPU, set
         * {@code library-path} to a whisper.cpp build with that backend. When the library loaded at start-up lacks
         * the backend asked for, start-up fails with a message naming the library, its backends and the build to
         * supply instead.
         * <p>
         * Fixed at build time, as the hardware an application is built for; per provider, so that a small model can
         * stay on the CPU beside a large one on a GPU.
         */
        @WithDefault("auto")
        ComputeBackend gpu();
    }
}
