package io.quarkiverse.asr.whisper.deployment;

import java.nio.file.Path;
import java.util.Set;

import jakarta.inject.Singleton;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.whisper.natives.WhisperModelFile;
import io.quarkiverse.asr.whisper.natives.WhisperModelException;
import io.quarkiverse.asr.whisper.runtime.ModelLocator;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperRecorder;
import io.quarkiverse.asr.whisper.runtime.config.WhisperBuildConfig;
import io.quarkiverse.asr.whisper.runtime.health.WhisperHealthCheck;
import io.quarkus.arc.BeanDestroyer;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;

class WhisperProcessor {

    private static final String FEATURE = "asr-whisper";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /** Fails the build when the configured model is missing or is not a whisper ggml file. */
    @BuildStep
    WhisperModelBuildItem resolveModel(WhisperBuildConfig config) {
        try {
            Path file = ModelLocator.resolve(config.model().orElse(null), config.modelsDir());
            WhisperModelFile.validate(file);
            return new WhisperModelBuildItem(file);
        } catch (ModelException | WhisperModelException e) {
            throw new ConfigurationException(e.getMessage(), Set.of("quarkus.asr.whisper.model"));
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    SyntheticBeanBuildItem provider(WhisperRecorder recorder, WhisperModelBuildItem model) {
        return SyntheticBeanBuildItem.configure(WhisperAsrProvider.class)
                .addType(AsrProvider.class)
                .scope(Singleton.class)
                .setRuntimeInit()
                .unremovable()
                // created at start-up, so a model that cannot load fails the start rather than the first request
                .startup()
                .createWith(recorder.provider(model.file().toString()))
                .destroyer(BeanDestroyer.AutoCloseableDestroyer.class)
                .done();
    }

    @BuildStep
    HealthBuildItem health(WhisperDeploymentConfig config) {
        return new HealthBuildItem(WhisperHealthCheck.class.getName(), config.healthEnabled());
    }
}
