package io.quarkiverse.asr.deployment;

import java.util.Objects;
import java.util.Set;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * A provider extension is present, with the configurations it was built with. Each provider extension produces one;
 * the core extension chooses the default provider among them ({@link SelectedAsrProviderBuildItem}), and edges that
 * serve providers (the OpenAI-compatible server) find the beans to serve from them.
 */
public final class AsrProviderCandidateBuildItem extends MultiBuildItem {

    private final String provider;
    private final boolean unnamedConfigured;
    private final Set<String> names;
    private final boolean remote;

    private AsrProviderCandidateBuildItem(String provider, boolean unnamedConfigured, Set<String> names,
            boolean remote) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.unnamedConfigured = unnamedConfigured;
        this.names = Set.copyOf(names);
        this.remote = remote;
    }

    /**
     * A provider that transcribes in this application.
     *
     * @param provider the provider id, as {@code quarkus.asr.provider} and {@code @AsrProviderName} give it
     * @param unnamedConfigured whether its unnamed configuration ({@code quarkus.asr.<provider>.*}) is set
     * @param names the names of its named configurations ({@code quarkus.asr.<provider>."name".*}), which must be
     *        unique across providers
     */
    public static AsrProviderCandidateBuildItem local(String provider, boolean unnamedConfigured, Set<String> names) {
        return new AsrProviderCandidateBuildItem(provider, unnamedConfigured, names, false);
    }

    /**
     * A provider that forwards requests to a speech-to-text service. Edges that serve providers over the network
     * leave it out: pointed at this application's own endpoint, it would call itself.
     *
     * @see #local(String, boolean, Set)
     */
    public static AsrProviderCandidateBuildItem remote(String provider, boolean unnamedConfigured, Set<String> names) {
        return new AsrProviderCandidateBuildItem(provider, unnamedConfigured, names, true);
    }

    public String provider() {
        return provider;
    }

    public Set<String> names() {
        return names;
    }

    /** Whether requests to this provider go to a service outside the application. */
    public boolean remote() {
        return remote;
    }

    /** Whether the provider has a bean for its unnamed configuration, qualified by the provider id. */
    public boolean hasUnnamedConfiguration(SelectedAsrProviderBuildItem selected) {
        return AsrProviderBeans.hasUnnamedConfiguration(provider, unnamedConfigured, !names.isEmpty(), selected);
    }
}
