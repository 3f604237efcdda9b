package io.quarkiverse.asr.remote.deployment;

import java.util.Set;

import io.quarkus.builder.item.SimpleBuildItem;

/** The remote providers the configuration declares by their {@code base-url} or {@code server.binary}. */
public final class RemoteConfigurationsBuildItem extends SimpleBuildItem {

    private final boolean unnamed;
    private final Set<String> names;

    public RemoteConfigurationsBuildItem(boolean unnamed, Set<String> names) {
        this.unnamed = unnamed;
        this.names = Set.copyOf(names);
    }

    /** Whether {@code quarkus.asr.remote.base-url} or {@code quarkus.asr.remote.server.binary} is set. */
    public boolean unnamed() {
        return unnamed;
    }

    /** The names of the {@code quarkus.asr.remote."name".base-url} and {@code server.binary} that are set. */
    public Set<String> names() {
        return names;
    }
}
