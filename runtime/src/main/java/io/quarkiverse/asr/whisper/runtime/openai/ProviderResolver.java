package io.quarkiverse.asr.whisper.runtime.openai;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.arc.Arc;

/**
 * Maps the {@code model} field of a request to a provider bean:
 * <ul>
 * <li>the name of a named provider ({@code quarkus.asr.whisper."name".model}) selects that provider;</li>
 * <li>any other value ({@code whisper-1}, {@code gpt-4o-transcribe}, a misspelt name...), or none, selects the
 * unnamed whisper provider ({@code quarkus.asr.whisper.model}), so that clients hard-wired to OpenAI's model ids work
 * unchanged;</li>
 * <li>without a default provider (only named ones are configured), other values are answered with 404
 * {@code model_not_found}, and a request without a model with 400.</li>
 * </ul>
 */
final class ProviderResolver {

    private final Set<String> named;
    private final boolean hasDefault;
    private final ConcurrentMap<String, AsrProvider> beans = new ConcurrentHashMap<>();

    ProviderResolver(List<String> named, boolean hasDefault) {
        this.named = Set.copyOf(named);
        this.hasDefault = hasDefault;
    }

    /** The provider name the request's {@code model} selects, {@code null} for the default provider. */
    String nameFor(String model) {
        if (model != null && named.contains(model)) {
            return model;
        }
        if (hasDefault) {
            return null;
        }
        String names = String.join(", ", new TreeSet<>(named));
        if (model == null || model.isEmpty()) {
            throw OpenAiApiException.badRequest("Missing required parameter: 'model' (one of: " + names + ").",
                    "model", "missing_required_parameter");
        }
        throw OpenAiApiException.modelNotFound(model, "Use one of: " + names + ".");
    }

    /** The bean of a provider name from {@link #nameFor(String)}. */
    AsrProvider provider(String name) {
        // the unnamed whisper provider, also when another provider backs the application's @Default bean: a remote
        // default could be this very API
        return beans.computeIfAbsent(name == null ? WhisperAsrProvider.PROVIDER : name,
                key -> Arc.container().select(AsrProvider.class, AsrProviderName.Literal.of(key)).get());
    }
}
