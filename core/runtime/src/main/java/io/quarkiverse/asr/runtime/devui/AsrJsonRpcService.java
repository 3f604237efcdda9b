package io.quarkiverse.asr.runtime.devui;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.ProviderInfo;

/** The Dev UI's JSON-RPC methods: what the application's providers are. Registered in dev mode only. */
public class AsrJsonRpcService {

    /**
     * One provider bean.
     *
     * @param name its {@code @AsrProviderName}: the configuration name, or the provider id for an unnamed one
     * @param isDefault whether it is the {@code @Default} {@code AsrProvider}
     * @param details what the provider tells of itself (for whisper: the library version, variant, backend, device and
     *        system info)
     */
    public record ProviderView(String name, boolean isDefault, String provider, String model, List<String> capabilities,
            Map<String, String> details) {
    }

    @Inject
    @Any
    Instance<AsrProvider> providers;

    /** The application's providers, by name. */
    public List<ProviderView> getProviders() {
        List<ProviderView> views = new ArrayList<>();
        for (Instance.Handle<AsrProvider> handle : providers.handles()) {
            String name = null;
            boolean isDefault = false;
            for (Annotation qualifier : handle.getBean().getQualifiers()) {
                if (qualifier instanceof AsrProviderName named) {
                    name = named.value();
                }
                isDefault |= qualifier.annotationType() == Default.class;
            }
            ProviderInfo info = handle.get().info();
            views.add(new ProviderView(name, isDefault, info.name(), info.model(),
                    info.capabilities().stream().map(Capability::name).sorted().toList(), info.details()));
        }
        views.sort(Comparator.comparing(ProviderView::name, Comparator.nullsFirst(Comparator.naturalOrder())));
        return views;
    }
}
