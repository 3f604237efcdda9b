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

    /** Creates the provider for the model the build resolved. */
    public Function<SyntheticCreationalContext<WhisperAsrProvider>, WhisperAsrProvider> provider(String modelFile) {
        return context -> WhisperAsrProvider.create(Path.of(modelFile), WhisperSettings.from(config.getValue()));
    }
}
