package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.quarkiverse.asr.whisper.runtime.config.WhisperRuntimeConfig;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;

@Recorder
public class WhisperRecorder {

    private final RuntimeValue<WhisperRuntimeConfig> config;

    public WhisperRecorder(RuntimeValue<WhisperRuntimeConfig> config) {
        this.config = config;
    }

    /**
     * Starts creating a provider for the model the build resolved (its copy in the application package when there is
     * one, else the file the build found) and returns the bean's creator, which waits for it. Loading the library and
     * the model takes a few hundred milliseconds; begun here, on a thread of its own, it overlaps the rest of the
     * application's start instead of following it. The provider itself, which looks up beans (metrics, traces), is
     * made by the creator, when the application starts.
     *
     * @param name the configuration name, {@code null} for the default provider
     * @param packagedModel the model's file name in {@link PackagedModels#FOLDER}, {@code null} when not packaged
     * @param gpu the backend the build configured
     */
    public Function<SyntheticCreationalContext<WhisperAsrProvider>, WhisperAsrProvider> provider(String name,
            String modelFile, String packagedModel, ComputeBackend gpu, ShutdownContext shutdown) {
        WhisperRuntimeConfig global = config.getValue();
        var settings = name == null ? global.defaultConfig() : global.namedConfig().get(name);
        Path model = Optional.ofNullable(packagedModel).flatMap(PackagedModels::find).orElse(Path.of(modelFile));
        WhisperSettings whisperSettings = WhisperSettings.from(gpu, global, settings);
        CompletableFuture<WhisperEngine> starting = CompletableFuture.supplyAsync(
                () -> WhisperAsrProvider.startEngine(model, whisperSettings),
                task -> Thread.ofPlatform().daemon().name("asr-whisper-start" + (name == null ? "" : "-" + name))
                        .start(task));
        AtomicBoolean handedOver = new AtomicBoolean();
        // a start that fails before the bean is created leaves the engine to nobody else
        shutdown.addShutdownTask(() -> {
            if (!handedOver.get()) {
                starting.thenAccept(WhisperEngine::close);
            }
        });
        return context -> {
            handedOver.set(true);
            try {
                return WhisperAsrProvider.around(starting.join(), whisperSettings);
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        };
    }
}
