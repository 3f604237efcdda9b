package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Path;
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
     * Creates a provider for the model the build resolved.
     *
     * @param name the configuration name, {@code null} for the default provider
     */
    public Function<SyntheticCreationalContext<WhisperAsrProvider>, WhisperAsrProvider> provider(String name,
            String modelFile) {
        return context -> {
            WhisperRuntimeConfig global = config.getValue();
            var settings = name == null ? global.defaultConfig() : global.namedConfig().get(name);
            return WhisperAsrProvider.create(Path.of(modelFile), WhisperSettings.from(global, settings));
        };
    }
}
