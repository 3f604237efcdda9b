package io.quarkiverse.asr.whisper.deployment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.deployment.AsrProviderBeans;
import io.quarkiverse.asr.deployment.AsrProviderCandidateBuildItem;
import io.quarkiverse.asr.deployment.SelectedAsrProviderBuildItem;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.whisper.natives.WhisperModelFile;
import io.quarkiverse.asr.whisper.natives.WhisperModelException;
import io.quarkiverse.asr.whisper.runtime.ModelLocator;
import io.quarkiverse.asr.whisper.runtime.PackagedModels;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperRecorder;
import io.quarkiverse.asr.whisper.runtime.config.WhisperBuildConfig;
import io.quarkiverse.asr.whisper.runtime.config.WhisperBuildConfig.ModelBuildConfig;
import io.quarkiverse.asr.whisper.runtime.devui.WhisperDevUiContributor;
import io.quarkiverse.asr.whisper.runtime.model.ModelDownloader;
import io.quarkiverse.asr.whisper.runtime.health.WhisperHealthCheck;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.IsNormal;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.quarkus.deployment.pkg.PackageConfig.JarConfig.JarType;
import io.quarkus.deployment.pkg.builditem.ArtifactResultBuildItem;
import io.quarkus.deployment.pkg.builditem.JarBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;

class WhisperProcessor {

    private static final Logger LOG = Logger.getLogger(WhisperProcessor.class);
    private static final String FEATURE = "asr-whisper";
    /** Packages with the fast-jar folder layout, where the runtime looks for {@code quarkus-app/asr-models/}. */
    private static final Set<JarType> FAST_JAR_LAYOUTS = EnumSet.of(JarType.FAST_JAR, JarType.MUTABLE_JAR,
            JarType.AOT_JAR);

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    AsrProviderCandidateBuildItem candidate(WhisperBuildConfig config) {
        return AsrProviderCandidateBuildItem.local(WhisperAsrProvider.PROVIDER, unnamedConfigured(config),
                config.namedConfig().keySet());
    }

    /**
     * Resolves the model of every configured provider, downloading catalogue models and {@code model-url}s that are
     * missing; fails the build when one is missing or is not a complete whisper ggml file, or when whisper is the
     * selected provider and no model is configured at all.
     */
    @BuildStep
    void resolveModels(WhisperBuildConfig config, SelectedAsrProviderBuildItem selected,
            BuildProducer<WhisperModelBuildItem> models) {
        ModelDownloader downloader = ModelDownloader.builder()
                .offline(config.offline())
                .baseUri(config.download().baseUrl())
                .requireChecksum(config.download().requireChecksum())
                .connectTimeout(config.download().connectTimeout())
                .readTimeout(config.download().readTimeout())
                .build();
        ModelBuildConfig defaultConfig = config.defaultConfig();
        Map<String, ModelBuildConfig> named = new TreeMap<>(config.namedConfig());
        if (AsrProviderBeans.hasUnnamedConfiguration(WhisperAsrProvider.PROVIDER, unnamedConfigured(config),
                !named.isEmpty(), selected)) {
            models.produce(resolve(null, defaultConfig, config, downloader));
        }
        named.forEach((name, provider) -> models.produce(resolve(name, provider, config, downloader)));
    }

    private static boolean unnamedConfigured(WhisperBuildConfig config) {
        return config.defaultConfig().model().isPresent() || config.defaultConfig().modelUrl().isPresent();
    }

    private static WhisperModelBuildItem resolve(String name, ModelBuildConfig provider, WhisperBuildConfig config,
            ModelDownloader downloader) {
        String prefix = name == null ? "quarkus.asr.whisper." : "quarkus.asr.whisper.\"" + name + "\".";
        String model = provider.model().orElse(null);
        try {
            Path file;
            if (provider.modelUrl().isPresent()) {
                file = ModelLocator.download(prefix, model, provider.modelUrl().get(),
                        provider.modelChecksum().orElse(null), config.modelsDir(), downloader);
            } else if (provider.modelChecksum().isPresent()) {
                throw new ModelException(prefix + "model-checksum is the checksum of a model-url download, but "
                        + prefix + "model-url is not set");
            } else {
                file = ModelLocator.resolve(prefix + "model", model, config.modelsDir(), downloader);
            }
            WhisperModelFile.validate(file);
            return new WhisperModelBuildItem(name, file);
        } catch (ModelException | WhisperModelException e) {
            throw new ConfigurationException(e.getMessage(),
                    Set.of(prefix + "model", prefix + "model-url", prefix + "model-checksum"));
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void providers(WhisperRecorder recorder, WhisperBuildConfig buildConfig, WhisperDeploymentConfig config,
            List<WhisperModelBuildItem> models, SelectedAsrProviderBuildItem selected, ShutdownContextBuildItem shutdown,
            BuildProducer<SyntheticBeanBuildItem> beans) {
        for (WhisperModelBuildItem model : models) {
            ModelBuildConfig provider = model.name() == null ? buildConfig.defaultConfig()
                    : buildConfig.namedConfig().get(model.name());
            beans.produce(AsrProviderBeans.configure(WhisperAsrProvider.class, WhisperAsrProvider.PROVIDER,
                    model.name(), selected)
                    .createWith(recorder.provider(model.name(), model.file().toString(),
                            config.includeModelsInArtifact() ? model.file().getFileName().toString() : null,
                            provider.gpu(), shutdown))
                    .done());
        }
    }

    /**
     * Puts the model files into a fast-jar's {@code quarkus-app/asr-models/}, where the providers find them at start-up
     * on machines that lack the files the build used.
     */
    @BuildStep(onlyIf = IsNormal.class)
    @Produce(ArtifactResultBuildItem.class)
    void includeModels(WhisperDeploymentConfig config, List<WhisperModelBuildItem> models, Optional<JarBuildItem> jar)
            throws IOException {
        if (!config.includeModelsInArtifact() || jar.isEmpty()) {
            return;
        }
        List<Path> files = models.stream().map(WhisperModelBuildItem::file).toList();
        if (!FAST_JAR_LAYOUTS.contains(jar.get().getType())) {
            LOG.warnf("The %s package cannot include the whisper models: the application reads them from %s, so"
                    + " they must be there on the machines that run it", jar.get().getType(), files);
            return;
        }
        Path folder = jar.get().getPath().resolveSibling(PackagedModels.FOLDER);
        ModelPackager.pack(files, folder);
        LOG.infof("Included the whisper models in %s", folder);
    }

    /** The whisper providers' health and the model catalogue on the ASR Dev UI card. */
    @BuildStep(onlyIf = IsDevelopment.class)
    AdditionalBeanBuildItem devUi() {
        return AdditionalBeanBuildItem.unremovableOf(WhisperDevUiContributor.class);
    }

    @BuildStep
    HealthBuildItem health(WhisperDeploymentConfig config) {
        return new HealthBuildItem(WhisperHealthCheck.class.getName(), config.healthEnabled());
    }
}
