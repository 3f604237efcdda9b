package io.quarkiverse.asr.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Describes a provider instance.
 *
 * @param name the provider kind, e.g. {@code whisper}
 * @param model the model it serves, e.g. a file name or a remote model id
 * @param capabilities what the provider supports
 * @param details provider-specific facts worth showing in health checks and logs (library version, backend...)
 */
public record ProviderInfo(String name, String model, Set<Capability> capabilities, Map<String, String> details) {

    public ProviderInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        capabilities = Set.copyOf(capabilities);
        details = Map.copyOf(details);
    }

    public boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }
}
