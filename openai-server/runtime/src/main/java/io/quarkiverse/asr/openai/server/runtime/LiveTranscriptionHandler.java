package io.quarkiverse.asr.openai.server.runtime;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.spi.StreamingOptions;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET .../audio/live}: upgrades to a WebSocket and runs a {@link LiveSession} on it. Everything is checked
 * after the upgrade, so that a browser, which cannot read the answer to a refused upgrade, learns what went wrong from
 * the {@code error} message and the close code.
 */
final class LiveTranscriptionHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(LiveTranscriptionHandler.class);

    private final ProviderResolver providers;
    private final ApiKey apiKey;
    private final StreamingOptions streaming;

    LiveTranscriptionHandler(ProviderResolver providers, ApiKey apiKey, StreamingOptions streaming) {
        this.providers = providers;
        this.apiKey = apiKey;
        this.streaming = streaming;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
            ErrorResponses.send(ctx, OpenAiApiException.badRequest("This is a WebSocket endpoint: connect with a "
                    + "WebSocket client (Upgrade: websocket).", null, "invalid_request"));
            return;
        }
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        ctx.request().toWebSocket().onComplete(upgrade -> {
            if (upgrade.failed()) {
                LOG.debugf("WebSocket upgrade of %s failed: %s", ctx.request().path(), upgrade.cause().toString());
                return;
            }
            Context context = Vertx.currentContext() != null ? Vertx.currentContext()
                    : ctx.vertx().getOrCreateContext();
            new LiveSession(upgrade.result(), context, providers, apiKey, streaming).open(authorization,
                    ctx.queryParams());
        });
    }
}
