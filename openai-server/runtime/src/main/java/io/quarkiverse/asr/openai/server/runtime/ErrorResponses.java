package io.quarkiverse.asr.openai.server.runtime;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.runtime.http.RefusedRequests;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes {@link OpenAiApiException}s as OpenAI error responses. */
final class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    /** Answers a request whose body has been read. */
    static void send(RoutingContext ctx, OpenAiApiException error) {
        HttpServerResponse response = ctx.response();
        if (answered(ctx, error)) {
            return;
        }
        log(ctx, error);
        prepare(response, error).end(error.toJson().encode());
    }

    /**
     * Answers a request whose body may still be arriving (an API key or size check, a failed upload) and closes its
     * connection once the rest of the body is read, as {@link RefusedRequests} does.
     */
    static void refuse(RoutingContext ctx, OpenAiApiException error) {
        if (answered(ctx, error)) {
            return;
        }
        log(ctx, error);
        prepare(ctx.response(), error);
        RefusedRequests.answer(ctx, error.toJson().encode());
    }

    /**
     * Whether the exchange is past answering: the response was sent (a later failure, such as the request's
     * connection closing after a refusal, finds it ended) or the client is gone.
     */
    private static boolean answered(RoutingContext ctx, OpenAiApiException error) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            LOG.debugf("%s %s [%s]: %s after the exchange ended", ctx.request().method(), ctx.request().path(),
                    RequestGuard.requestId(ctx), error.getMessage());
            return true;
        }
        if (response.headWritten()) {
            // nothing sensible can follow a started answer
            LOG.debugf("%s %s [%s]: %s after the answer started", ctx.request().method(), ctx.request().path(),
                    RequestGuard.requestId(ctx), error.getMessage());
            ctx.request().connection().close();
            return true;
        }
        return false;
    }

    private static HttpServerResponse prepare(HttpServerResponse response, OpenAiApiException error) {
        response.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        error.retryAfterSeconds().ifPresent(seconds -> response.putHeader("Retry-After", Long.toString(seconds)));
        if (error.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        return response;
    }

    private static void log(RoutingContext ctx, OpenAiApiException error) {
        if (error.status() >= 500 && error.status() != 503 && error.status() != 504) {
            LOG.errorf(error.getCause(), "%s %s [%s] failed: %s", ctx.request().method(), ctx.request().path(),
                    RequestGuard.requestId(ctx), error.getMessage());
        } else if (LOG.isDebugEnabled()) {
            LOG.debugf("%s %s [%s] answered %d: %s", ctx.request().method(), ctx.request().path(),
                    RequestGuard.requestId(ctx), error.status(), error.getMessage());
        }
    }
}
