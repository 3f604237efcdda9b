package io.quarkiverse.asr.deployment;

import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;

/**
 * Settings shared by the speech-to-text providers, fixed when the application is built.
 */
@ConfigMapping(prefix = "quarkus.asr")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface AsrBuildConfig {

    /**
     * The provider whose unnamed configuration is the default {@code AsrProvider} bean ({@code @Inject AsrProvider}):
     * {@code whisper} (in-process whisper.cpp, {@code quarkus-asr-whisper}) or {@code remote} (an OpenAI-compatible
     * transcription service, {@code quarkus-asr-remote}).
     * <p>
     * When a single provider extension is present, it is the default and this property may be left unset. With
     * several, it must be set, and the build fails when it is not, or when it names a provider that is not present.
     */
    Optional<String> provider();
}
