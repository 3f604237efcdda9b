package io.quarkiverse.asr.whisper.deployment.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.quarkiverse.asr.whisper.deployment.WhisperModelBuildItem;
import io.quarkiverse.asr.whisper.runtime.openai.OpenAiApiBuildConfig;
import io.quarkiverse.asr.whisper.runtime.openai.OpenAiApiRecorder;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.deployment.spi.RouteBuildItem;
import io.vertx.ext.web.Route;

/**
 * Registers the OpenAI-compatible endpoints {@code POST <path>/audio/transcriptions} and
 * {@code POST <path>/audio/translations} when {@code quarkus.asr.openai-api.enabled} is set.
 */
class OpenAiApiProcessor {

    private static final String FEATURE = "asr-openai-api";

    /**
     * Before Quarkus' own request size check ({@code quarkus.http.limits.max-body-size}, order -2), which these routes
     * replace with {@code quarkus.asr.openai-api.max-upload-size}, and after the CORS, authentication and
     * authorization filters (orders -300, -200, -100), which keep applying.
     */
    static final int ROUTE_ORDER = -3;

    @BuildStep
    void feature(OpenAiApiBuildConfig config, BuildProducer<FeatureBuildItem> features) {
        if (config.enabled()) {
            features.produce(new FeatureBuildItem(FEATURE));
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void routes(OpenAiApiBuildConfig config, Capabilities capabilities, List<WhisperModelBuildItem> models,
            OpenAiApiRecorder recorder, BuildProducer<RouteBuildItem> routes) {
        if (!config.enabled()) {
            return;
        }
        if (!capabilities.isPresent(Capability.VERTX_HTTP)) {
            throw new ConfigurationException("quarkus.asr.openai-api.enabled=true serves HTTP endpoints, but the "
                    + "application has no HTTP server: add the io.quarkus:quarkus-vertx-http dependency (quarkus-rest "
                    + "brings it too)", Set.of("quarkus.asr.openai-api.enabled"));
        }
        List<String> named = new ArrayList<>();
        boolean hasDefault = false;
        for (WhisperModelBuildItem model : models) {
            if (model.name() == null) {
                hasDefault = true;
            } else {
                named.add(model.name());
            }
        }
        String base = basePath(config.path());
        Consumer<Route> customizer = recorder.routeCustomizer();
        routes.produce(RouteBuildItem.newApplicationRoute(base + "/audio/transcriptions")
                .withOrder(ROUTE_ORDER)
                .withRouteCustomizer(customizer)
                .withRequestHandler(recorder.handler(false, named, hasDefault))
                .displayOnNotFoundPage("OpenAI-compatible transcription API (POST)")
                .build());
        routes.produce(RouteBuildItem.newApplicationRoute(base + "/audio/translations")
                .withOrder(ROUTE_ORDER)
                .withRouteCustomizer(customizer)
                .withRequestHandler(recorder.handler(true, named, hasDefault))
                .displayOnNotFoundPage("OpenAI-compatible translation API (POST)")
                .build());
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
