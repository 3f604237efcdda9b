package io.quarkiverse.asr.whisper.runtime.health;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;

/**
 * Reports the whisper providers ready once their native library is loaded, with the library version, the model, the
 * backend and device it computes on, and the library's system info. A provider that loads its model lazily is ready
 * before its first transcription. Data of a named provider is prefixed with its name ({@code meetings.model}).
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
            for (Instance.Handle<WhisperAsrProvider> handle : providers.handles()) {
                String prefix = handle.getBean().getQualifiers().stream()
                        .filter(AsrProviderName.class::isInstance)
                        .map(q -> ((AsrProviderName) q).value())
                        // the unnamed provider is qualified by the provider id
                        .filter(name -> !name.equals(WhisperAsrProvider.PROVIDER))
                        .map(name -> name + ".")
                        .findFirst().orElse("");
                handle.get().healthData().forEach((key, value) -> data(response, prefix + key, value));
            }
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    /** Numbers and booleans as such in the health JSON, the rest as text. */
    private static void data(HealthCheckResponseBuilder response, String key, Object value) {
        switch (value) {
            case Boolean b -> response.withData(key, b);
            case Number n -> response.withData(key, n.longValue());
            case null -> response.withData(key, (String) null);
            default -> response.withData(key, value.toString());
        }
    }
}
