package io.quarkiverse.asr.remote.runtime.devui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
import io.quarkiverse.asr.runtime.devui.AsrDevUiContributor;
import io.quarkiverse.asr.spi.AsrProvider;
import io.smallrye.mutiny.Uni;

/**
 * The remote providers' health for the ASR Dev UI card, as the remote health check reports it: up when the service is
 * ready. Remote providers have no model catalogue. Registered in dev mode only.
 */
@Singleton
public class RemoteDevUiContributor implements AsrDevUiContributor {

    @Override
    public Optional<Uni<Health>> health(AsrProvider provider) {
        if (!(provider instanceof RemoteAsrProvider remote)) {
            return Optional.empty();
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("baseUrl", remote.info().details().get("baseUrl"));
        data.put("api", remote.info().details().get("api"));
        return Optional.of(remote.checkReady().map(ready -> new Health(true, data))
                .onFailure().recoverWithItem(failure -> {
                    data.put("error", String.valueOf(failure.getMessage()));
                    return new Health(false, data);
                }));
    }
}
