package io.quarkiverse.asr.whisper.runtime.health;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;

/**
 * Reports the whisper provider ready once its native library is loaded, with the library version, the model and the
 * CPU backend it runs on. A provider that loads its model lazily is ready before the first transcription.
 * <p>
 * Registered as a bean by the deployment processor only when SmallRye Health is present and the check is enabled.
 */
@Readiness
public class WhisperHealthCheck implements HealthCheck {

    @Inject
    @Any
    Instance<WhisperAsrProvider> providers;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Whisper speech-to-text");
        try {
            for (WhisperAsrProvider provider : providers) {
                var info = provider.info();
                response.withData("model", info.model())
                        .withData("modelLoaded", provider.isModelLoaded())
                        .withData("libraryVersion", info.details().get("libraryVersion"))
                        .withData("variant", info.details().get("variant"))
                        .withData("backend", info.details().get("systemInfo"))
                        .withData("activeTranscriptions", provider.activeTranscriptions());
            }
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
