package io.quarkiverse.asr.whisper.runtime.devui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.asr.runtime.devui.AsrDevUiContributor;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.config.WhisperBuildConfig;
import io.quarkiverse.asr.whisper.runtime.model.ModelCatalogue;
import io.smallrye.mutiny.Uni;

/**
 * The whisper providers' health, as the whisper health check reports it, and the whisper.cpp model catalogue with
 * what {@code quarkus.asr.whisper.models-dir} holds, for the ASR Dev UI card. Registered in dev mode only.
 */
@Singleton
public class WhisperDevUiContributor implements AsrDevUiContributor {

    @Inject
    WhisperBuildConfig config;

    @Inject
    @Any
    Instance<WhisperAsrProvider> providers;

    /** Up once the native library is loaded: a provider that loads its model lazily is up before its first request. */
    @Override
    public Optional<Uni<Health>> health(AsrProvider provider) {
        if (!(provider instanceof WhisperAsrProvider whisper)) {
            return Optional.empty();
        }
        return Optional.of(Uni.createFrom().item(() -> {
            try {
                Map<String, String> data = new LinkedHashMap<>();
                data.put("modelFile", whisper.modelFile().toString());
                whisper.healthData().forEach((key, value) -> data.put(key, String.valueOf(value)));
                return new Health(true, data);
            } catch (RuntimeException e) {
                return new Health(false, Map.of("error", String.valueOf(e.getMessage())));
            }
        }));
    }

    @Override
    public List<CatalogueModel> models() {
        Path dir = config.modelsDir().toAbsolutePath().normalize();
        Set<Path> inUse = providers.stream().map(provider -> provider.modelFile().toAbsolutePath().normalize())
                .collect(Collectors.toSet());
        ModelCatalogue catalogue = ModelCatalogue.whisperCpp();
        return catalogue.names().stream().map(name -> {
            ModelCatalogue.Entry entry = catalogue.find(name).orElseThrow();
            Path file = dir.resolve(entry.fileName());
            return new CatalogueModel(WhisperAsrProvider.PROVIDER, name,
                    entry.size().isPresent() ? entry.size().getAsLong() : null, Files.isRegularFile(file),
                    file.toString(), inUse.contains(file));
        }).toList();
    }
}
