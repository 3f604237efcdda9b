package io.quarkiverse.asr.remote.runtime;

import java.util.function.Function;

import io.quarkiverse.asr.remote.runtime.config.RemoteRuntimeConfig;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.tls.TlsConfigurationRegistry;

@Recorder
public class RemoteRecorder {

    private final RuntimeValue<RemoteRuntimeConfig> config;

    public RemoteRecorder(RuntimeValue<RemoteRuntimeConfig> config) {
        this.config = config;
    }

    /** @param name the configuration name, {@code null} for the unnamed remote provider */
    public Function<SyntheticCreationalContext<RemoteAsrProvider>, RemoteAsrProvider> provider(String name) {
        return context -> {
            RemoteRuntimeConfig remote = config.getValue();
            return RemoteAsrProvider.create(name, name == null ? remote.defaultConfig() : remote.namedConfig().get(name),
                    context.getInjectedReference(TlsConfigurationRegistry.class));
        };
    }
}
