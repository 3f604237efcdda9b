package io.quarkiverse.asr.deployment;

import java.util.Objects;

import io.quarkus.builder.item.SimpleBuildItem;

/**
 * The provider whose unnamed configuration is the {@code @Default} {@code AsrProvider} bean: the one
 * {@code quarkus.asr.provider} names, or the only provider extension present.
 */
public final class SelectedAsrProviderBuildItem extends SimpleBuildItem {

    private final String provider;

    public SelectedAsrProviderBuildItem(String provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    public String provider() {
        return provider;
    }

    /** Whether {@code provider} is the selected provider. */
    public boolean is(String provider) {
        return this.provider.equals(provider);
    }
}
