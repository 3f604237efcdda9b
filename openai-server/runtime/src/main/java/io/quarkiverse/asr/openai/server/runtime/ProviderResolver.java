package io.quarkiverse.asr.openai.server.runtime;

import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkus.arc.Arc;

/**
 * Maps the {@code model} field of a request to a provider bean:
 * <ul>
 * <li>the name of a served configuration ({@code quarkus.asr.whisper."name".*}), or the id of a served provider for
 * its unnamed configuration ({@code whisper}), selects that bean;</li>
 * <li>any other value ({@code whisper-1}, {@code gpt-4o-transcribe}, a misspelt name...), or none, selects the default
 * served bean, so that clients hard-wired to OpenAI's model ids work unchanged;</li>
 * <li>without a default (only named configurations are served), other values are answered with 404
 * {@code model_not_found}, and a request without a model with 400.</li>
 * </ul>
 * Remote providers are never among the served beans: one pointed at this API would call itself.
 */
final class ProviderResolver {

    private final List<String> served;
    private final String defaultName;
    private final ConcurrentMap<String, AsrProvider> beans = new ConcurrentHashMap<>();

    /**
     * @param served the {@link AsrProviderName} values of the beans the API serves
     * @param defaultName the one that answers requests naming none of them, {@code null} for none
     */
    ProviderResolver(List<String> served, String defaultName) {
        this.served = List.copyOf(served);
        this.defaultName = defaultName;
    }

    /** The {@link AsrProviderName} values of the beans the API serves. */
    List<String> served() {
        return served;
    }

    /** The {@link AsrProviderName} of the bean the request's {@code model} selects. */
    String nameFor(String model) {
        if (model != null && served.contains(model)) {
            return model;
        }
        if (defaultName != null) {
            return defaultName;
        }
        String names = String.join(", ", new TreeSet<>(served));
        if (model == null || model.isEmpty()) {
            throw OpenAiApiException.badRequest("Missing required parameter: 'model' (one of: " + names + ").",
                    "model", "missing_required_parameter");
        }
        throw OpenAiApiException.modelNotFound(model, "Use one of: " + names + ".");
    }

    /** The bean of a name from {@link #nameFor(String)}. */
    AsrProvider provider(String name) {
        return beans.computeIfAbsent(name,
                key -> Arc.container().select(AsrProvider.class, AsrProviderName.Literal.of(key)).get());
    }
}
