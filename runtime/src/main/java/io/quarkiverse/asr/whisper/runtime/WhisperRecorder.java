package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import io.quarkiverse.asr.whisper.runtime.config.WhisperRuntimeConfig;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;

@Recorder
public class WhisperRecorder {

    private final RuntimeValue<WhisperRuntimeConfig> config;

    public WhisperRecorder(RuntimeValue<WhisperRuntimeConfig> config) {
        this.config = config;
    }

    /**
     * Creates a provider for the model the build resolved: its copy in the application package when there is one,
     * else the file the build found.
     *
     * @param name the configuration name, {@code null} for the default provider
     * @param packagedModel the model's file name in {@link PackagedModels#FOLDER}, {@code null} when not packaged
     * @param gpu the backend the build configured
     */
    public Function<SyntheticCreationalContext<WhisperAsrProvider>, WhisperAsrProvider> provider(String name,
            String modelFile, String packagedModel, ComputeBackend gpu) {
        return context -> {
            WhisperRuntimeConfig global = config.getValue();
            var settings = name == null ? global.defaultConfig() : global.namedConfig().get(name);
            Path model = Optional.ofNullable(packagedModel).flatMap(PackagedModels::find).orElse(Path.of(modelFile));
            return WhisperAsrProvider.create(model, WhisperSettings.from(gpu, global, settings));
        };
    }
}
