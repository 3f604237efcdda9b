package io.quarkiverse.asr.whisper.deployment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.quarkiverse.asr.deployment.AsrProviderBeans;
import io.quarkiverse.asr.deployment.AsrProviderCandidateBuildItem;
import io.quarkiverse.asr.deployment.SelectedAsrProviderBuildItem;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.whisper.natives.WhisperModelFile;
import io.quarkiverse.asr.whisper.natives.WhisperModelException;
import io.quarkiverse.asr.whisper.runtime.ModelLocator;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperRecorder;
import io.quarkiverse.asr.whisper.runtime.config.WhisperBuildConfig;
import io.quarkiverse.asr.whisper.runtime.model.ModelDownloader;
import io.quarkiverse.asr.whisper.runtime.health.WhisperHealthCheck;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
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

    @BuildStep
    AsrProviderCandidateBuildItem candidate(WhisperBuildConfig config) {
        return new AsrProviderCandidateBuildItem(WhisperAsrProvider.PROVIDER, config.namedConfig().keySet());
    }

    /**
     * Resolves the model of every configured provider; fails the build when one is missing or is not a complete
     * whisper ggml file, or when whisper is the selected provider and no model is configured at all.
     */
    @BuildStep
    void resolveModels(WhisperBuildConfig config, SelectedAsrProviderBuildItem selected,
            BuildProducer<WhisperModelBuildItem> models) {
        Map<String, Optional<String>> configured = new TreeMap<>();
        config.namedConfig().forEach((name, provider) -> configured.put(name, provider.model()));
        ModelDownloader downloader = ModelDownloader.builder()
                .offline(config.offline())
                .baseUri(config.download().baseUrl())
                .requireChecksum(config.download().requireChecksum())
                .connectTimeout(config.download().connectTimeout())
                .readTimeout(config.download().readTimeout())
                .build();
        Optional<String> defaultModel = config.defaultConfig().model();
        if (AsrProviderBeans.hasUnnamedConfiguration(WhisperAsrProvider.PROVIDER, defaultModel.isPresent(),
                !configured.isEmpty(), selected)) {
            models.produce(resolve(null, defaultModel, config, downloader));
        }
        configured.forEach((name, model) -> models.produce(resolve(name, model, config, downloader)));
    }

    private static WhisperModelBuildItem resolve(String name, Optional<String> model, WhisperBuildConfig config,
            ModelDownloader downloader) {
        String property = name == null ? "quarkus.asr.whisper.model" : "quarkus.asr.whisper.\"" + name + "\".model";
        try {
            Path file = ModelLocator.resolve(property, model.orElse(null), config.modelsDir(), downloader);
            WhisperModelFile.validate(file);
            return new WhisperModelBuildItem(name, file);
        } catch (ModelException | WhisperModelException e) {
            throw new ConfigurationException(e.getMessage(), Set.of(property));
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void providers(WhisperRecorder recorder, List<WhisperModelBuildItem> models, SelectedAsrProviderBuildItem selected,
            BuildProducer<SyntheticBeanBuildItem> beans) {
        for (WhisperModelBuildItem model : models) {
            beans.produce(AsrProviderBeans.configure(WhisperAsrProvider.class, WhisperAsrProvider.PROVIDER,
                    model.name(), selected)
                    .createWith(recorder.provider(model.name(), model.file().toString()))
                    .done());
        }
    }

    @BuildStep
    HealthBuildItem health(WhisperDeploymentConfig config) {
        return new HealthBuildItem(WhisperHealthCheck.class.getName(), config.healthEnabled());
    }
}
