package io.quarkiverse.asr.whisper.runtime.config;

import java.nio.file.Path;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Whisper settings fixed when the application is built.
 */
@ConfigMapping(prefix = "quarkus.asr.whisper")
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
public interface WhisperBuildConfig {

    /**
     * The whisper model: the path of a ggml model file (for example {@code models/ggml-base.en.bin}), or the name of a
     * model of the whisper.cpp catalogue (for example {@code tiny.en}, {@code base}, {@code large-v3-turbo-q5_0}),
     * which resolves to {@code ggml-<name>.bin} in {@link #modelsDir() models-dir}.
     * <p>
     * The model is checked when the application is built: the build fails when the file does not exist or is not a
     * whisper ggml model.
     */
    Optional<String> model();

    /**
     * The folder where models named by catalogue name are looked up.
     */
    @WithDefault("${user.home}/.cache/quarkus-asr/models")
    Path modelsDir();
}
