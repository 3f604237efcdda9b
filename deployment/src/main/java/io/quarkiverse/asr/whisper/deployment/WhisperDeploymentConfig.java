package io.quarkiverse.asr.whisper.deployment;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Whisper settings used only while building the application.
 */
@ConfigMapping(prefix = "quarkus.asr.whisper")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface WhisperDeploymentConfig {

    /**
     * Whether a readiness health check is published when the {@code quarkus-smallrye-health} extension is present.
     */
    @WithName("health.enabled")
    @WithDefault("true")
    boolean healthEnabled();

    /**
     * Whether the model files go into the application package, so that it runs on machines that lack them: a
     * fast-jar gets them in {@code quarkus-app/asr-models/} (hard-linked where the file system allows, else copied),
     * and finds them there at start-up. Other packages (uber-jar, native executable) read the models from where the
     * build found them, as applications do without this.
     */
    @WithDefault("true")
    boolean includeModelsInArtifact();
}
