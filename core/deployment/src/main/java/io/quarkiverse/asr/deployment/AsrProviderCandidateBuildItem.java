package io.quarkiverse.asr.deployment;

import java.util.Objects;
import java.util.Set;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * A provider extension is present. Each provider extension produces one, and the core extension chooses the default
 * provider among them ({@link SelectedAsrProviderBuildItem}).
 */
public final class AsrProviderCandidateBuildItem extends MultiBuildItem {

    private final String provider;
    private final Set<String> names;

    /**
     * @param provider the provider id, as {@code quarkus.asr.provider} and {@code @AsrProviderName} give it
     * @param names the names of its named configurations ({@code quarkus.asr.<provider>."name".*}), which must be
     *        unique across providers
     */
    public AsrProviderCandidateBuildItem(String provider, Set<String> names) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.names = Set.copyOf(names);
    }

    public String provider() {
        return provider;
    }

    public Set<String> names() {
        return names;
    }
}
