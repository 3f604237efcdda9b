package io.quarkiverse.asr.remote.deployment;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Remote provider settings used only while building the application.
 */
@ConfigMapping(prefix = "quarkus.asr.remote")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface RemoteDeploymentConfig {

    /**
     * Whether a readiness health check is published when the {@code quarkus-smallrye-health} extension is present: it
     * asks each whisper-server its {@code /health}.
     */
    @WithName("health.enabled")
    @WithDefault("true")
    boolean healthEnabled();
}
