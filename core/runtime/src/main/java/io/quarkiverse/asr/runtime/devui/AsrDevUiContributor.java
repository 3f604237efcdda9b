package io.quarkiverse.asr.runtime.devui;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkiverse.asr.spi.AsrProvider;
import io.smallrye.mutiny.Uni;

/**
 * What a provider extension adds to the ASR Dev UI card: the health of its providers and its model catalogue.
 * Provider extensions register an implementation as a bean in dev mode only.
 */
public interface AsrDevUiContributor {

    /**
     * How a provider is.
     *
     * @param up whether it can take requests
     * @param data what the extension's health check reports of it (model loaded, requests in progress, an error)
     */
    record Health(boolean up, Map<String, String> data) {
    }

    /**
     * A model of the extension's catalogue and whether the local cache has it.
     *
     * @param provider the provider id the catalogue belongs to ({@code whisper})
     * @param name the catalogue name ({@code tiny.en})
     * @param size the file's length in bytes by the catalogue, {@code null} when unknown
     * @param cached whether the file is in the local cache
     * @param path where the file is, or would be once downloaded
     * @param inUse whether one of the application's providers serves this file
     */
    record CatalogueModel(String provider, String name, Long size, boolean cached, String path, boolean inUse) {
    }

    /** How {@code provider} is, or empty when it is not one of this extension's providers. */
    Optional<Uni<Health>> health(AsrProvider provider);

    /** The extension's model catalogue, in catalogue order; empty when it has none. */
    default List<CatalogueModel> models() {
        return List.of();
    }
}
