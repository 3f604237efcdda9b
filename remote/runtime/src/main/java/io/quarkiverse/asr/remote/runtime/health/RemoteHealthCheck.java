package io.quarkiverse.asr.remote.runtime.health;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
import io.quarkiverse.asr.runtime.AsrProviderName;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Reports the remote providers ready when their services are: a whisper-server when its {@code /health} answers
 * {@code 200} (its model is loaded); an OpenAI-compatible API, which has no health endpoint, always. Data of a named
 * provider is prefixed with its name ({@code cloud.baseUrl}); a service that is not ready adds its error.
 * <p>
 * Registered as a bean by the deployment processor only when SmallRye Health is present and the check is enabled.
 */
@Readiness
public class RemoteHealthCheck implements AsyncHealthCheck {

    @Inject
    @Any
    Instance<RemoteAsrProvider> providers;

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Remote speech-to-text");
        List<Uni<Boolean>> checks = new ArrayList<>();
        for (Instance.Handle<RemoteAsrProvider> handle : providers.handles()) {
            String prefix = handle.getBean().getQualifiers().stream()
                    .filter(AsrProviderName.class::isInstance)
                    .map(q -> ((AsrProviderName) q).value())
                    // the unnamed provider is qualified by the provider id
                    .filter(name -> !name.equals(RemoteAsrProvider.PROVIDER))
                    .map(name -> name + ".")
                    .findFirst().orElse("");
            RemoteAsrProvider provider = handle.get();
            response.withData(prefix + "baseUrl", provider.info().details().get("baseUrl"))
                    .withData(prefix + "api", provider.info().details().get("api"));
            checks.add(provider.checkReady().map(ready -> true).onFailure().recoverWithItem(failure -> {
                synchronized (response) {
                    response.withData(prefix + "error", String.valueOf(failure.getMessage()));
                }
                return false;
            }));
        }
        if (checks.isEmpty()) {
            return Uni.createFrom().item(response.up().build());
        }
        return Uni.join().all(checks).andCollectFailures()
                .map(results -> response.status(!results.contains(false)).build());
    }
}
