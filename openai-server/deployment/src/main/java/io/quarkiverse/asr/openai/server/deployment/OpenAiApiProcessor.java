package io.quarkiverse.asr.openai.server.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.quarkiverse.asr.deployment.AsrProviderCandidateBuildItem;
import io.quarkiverse.asr.deployment.SelectedAsrProviderBuildItem;
import io.quarkiverse.asr.openai.server.runtime.OpenAiApiBuildConfig;
import io.quarkiverse.asr.openai.server.runtime.OpenAiApiRecorder;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.smallrye.openapi.deployment.spi.AddToOpenAPIDefinitionBuildItem;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;
import io.quarkus.vertx.http.deployment.spi.RouteBuildItem;
import io.vertx.ext.web.Route;

/**
 * Registers the OpenAI-compatible endpoints {@code POST <path>/audio/transcriptions} and
 * {@code POST <path>/audio/translations}, and whisper-server's {@code POST <inference-path>}, when
 * {@code quarkus.asr.openai-api.enabled} is set, and the live transcription WebSocket {@code <path>/audio/live} when
 * {@code quarkus.asr.openai-api.live.enabled} is set.
 */
class OpenAiApiProcessor {

    private static final String FEATURE = "asr-openai-api";
    private static final String ENABLED = "quarkus.asr.openai-api.enabled";
    private static final String LIVE_ENABLED = "quarkus.asr.openai-api.live.enabled";

    /**
     * Before Quarkus' own request size check ({@code quarkus.http.limits.max-body-size}, order -2), which these routes
     * replace with {@code quarkus.asr.openai-api.max-upload-size}, and after the CORS, authentication and
     * authorization filters (orders -300, -200, -100), which keep applying.
     */
    static final int ROUTE_ORDER = -3;

    @BuildStep
    void feature(OpenAiApiBuildConfig config, BuildProducer<FeatureBuildItem> features) {
        if (config.enabled() || config.live().enabled()) {
            features.produce(new FeatureBuildItem(FEATURE));
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void routes(OpenAiApiBuildConfig config, List<AsrProviderCandidateBuildItem> candidates,
            Optional<SelectedAsrProviderBuildItem> selected, OpenAiApiRecorder recorder,
            BuildProducer<RouteBuildItem> routes) {
        if (!config.enabled() && !config.live().enabled()) {
            return;
        }
        ServedProviders served = ServedProviders.of(candidates, selected);
        String base = basePath(config.path());
        if (config.live().enabled()) {
            routes.produce(RouteBuildItem.newApplicationRoute(base + "/audio/live")
                    .withOrder(ROUTE_ORDER)
                    .withRequestHandler(recorder.liveHandler(served.names(), served.defaultName()))
                    .displayOnNotFoundPage("Live transcription (WebSocket)")
                    .build());
        }
        if (!config.enabled()) {
            return;
        }
        Consumer<Route> customizer = recorder.routeCustomizer(served.names(), served.defaultName());
        routes.produce(RouteBuildItem.newApplicationRoute(base + "/audio/transcriptions")
                .withOrder(ROUTE_ORDER)
                .withRouteCustomizer(customizer)
                .withRequestHandler(recorder.handler(false, served.names(), served.defaultName()))
                .displayOnNotFoundPage("OpenAI-compatible transcription API (POST)")
                .build());
        routes.produce(RouteBuildItem.newApplicationRoute(base + "/audio/translations")
                .withOrder(ROUTE_ORDER)
                .withRouteCustomizer(customizer)
                .withRequestHandler(recorder.handler(true, served.names(), served.defaultName()))
                .displayOnNotFoundPage("OpenAI-compatible translation API (POST)")
                .build());
        routes.produce(RouteBuildItem.newApplicationRoute(basePath(config.inferencePath()))
                .withOrder(ROUTE_ORDER)
                .withRouteCustomizer(customizer)
                .withRequestHandler(recorder.inferenceHandler(served.names(), served.defaultName()))
                .displayOnNotFoundPage("whisper-server compatible inference API (POST)")
                .build());
    }

    /**
     * With {@code quarkus-smallrye-openapi}, the endpoints the application serves in its OpenAPI document: as Vert.x
     * routes they are not found by SmallRye OpenAPI's scan of JAX-RS resources. SmallRye OpenAPI applies this filter to
     * the document it builds from the application's resources or its {@code META-INF/openapi.yaml}; it builds none
     * (and filters nothing) for an application with neither.
     */
    @BuildStep
    void openApi(Capabilities capabilities, OpenAiApiBuildConfig config, List<AsrProviderCandidateBuildItem> candidates,
            Optional<SelectedAsrProviderBuildItem> selected, HttpRootPathBuildItem root,
            BuildProducer<AddToOpenAPIDefinitionBuildItem> documents) {
        if (!capabilities.isPresent(Capability.SMALLRYE_OPENAPI) || (!config.enabled() && !config.live().enabled())) {
            return;
        }
        String base = basePath(config.path());
        documents.produce(new AddToOpenAPIDefinitionBuildItem(new OpenAiApiDocument(
                config.enabled() ? fullPath(root, base) : null,
                config.enabled() ? fullPath(root, basePath(config.inferencePath())) : null,
                config.live().enabled() ? fullPath(root, base + "/audio/live") : null,
                ServedProviders.of(candidates, selected).names())));
    }

    /**
     * A path under {@code quarkus.http.root-path}, where application routes are served, without a trailing slash: the
     * root itself is the empty string.
     */
    private static String fullPath(HttpRootPathBuildItem root, String path) {
        String resolved = root.resolvePath(path.isEmpty() ? "" : path.substring(1));
        return resolved.endsWith("/") ? resolved.substring(0, resolved.length() - 1) : resolved;
    }

    /**
     * The provider beans the API serves, by their {@code @AsrProviderName}: every configuration of every provider that
     * transcribes in this application, never a remote one, which, pointed at this API, would call itself. The default
     * is the unnamed configuration of the selected provider, else of the first other provider that has one.
     *
     * @param names the served configuration names, and the provider ids that stand for unnamed configurations
     * @param defaultName the bean that answers requests whose {@code model} names none, {@code null} for none
     */
    record ServedProviders(List<String> names, String defaultName) {

        static ServedProviders of(List<AsrProviderCandidateBuildItem> candidates,
                Optional<SelectedAsrProviderBuildItem> selected) {
            // without a provider extension, nothing is selected
            SelectedAsrProviderBuildItem chosen = selected.orElseThrow(ServedProviders::nothingToServe);
            List<String> names = new ArrayList<>();
            String defaultName = null;
            List<AsrProviderCandidateBuildItem> local = candidates.stream().filter(c -> !c.remote())
                    // the selected provider first, so that its unnamed configuration is the default
                    .sorted(Comparator.comparing((AsrProviderCandidateBuildItem c) -> !chosen.is(c.provider()))
                            .thenComparing(AsrProviderCandidateBuildItem::provider))
                    .toList();
            for (AsrProviderCandidateBuildItem candidate : local) {
                if (candidate.hasUnnamedConfiguration(chosen)) {
                    names.add(candidate.provider());
                    if (defaultName == null) {
                        defaultName = candidate.provider();
                    }
                }
                names.addAll(candidate.names().stream().sorted().toList());
            }
            if (names.isEmpty()) {
                throw nothingToServe();
            }
            return new ServedProviders(List.copyOf(names), defaultName);
        }

        private static ConfigurationException nothingToServe() {
            return new ConfigurationException(ENABLED + "=true or " + LIVE_ENABLED + "=true, but the application has"
                    + " no provider to serve: add a provider extension such as quarkus-asr-whisper and configure it."
                    + " Remote providers are not served, since one pointed at this API would call itself.",
                    Set.of(ENABLED, LIVE_ENABLED));
        }
    }

    /** {@code v1}, {@code /v1/} and {@code /v1} all give {@code /v1}; {@code /} gives the root. */
    static String basePath(String path) {
        String trimmed = path.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return "";
        }
        return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }
}
