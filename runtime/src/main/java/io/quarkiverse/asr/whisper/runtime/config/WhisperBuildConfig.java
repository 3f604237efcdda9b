package io.quarkiverse.asr.whisper.runtime.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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
     * The default provider, injected as {@code @Inject AsrProvider}.
     */
    @WithParentName
    ModelBuildConfig defaultConfig();

    /**
     * Further providers, each with its own model, injected as
     * {@code @Inject @AsrProviderName("name") AsrProvider}.
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
         * not a complete whisper ggml model.
         */
        Optional<String> model();
    }
}
