package io.quarkiverse.asr.openai.server.runtime;

import org.jboss.logging.Logger;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/** Writes {@link OpenAiApiException}s as OpenAI error responses. */
final class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    /** How long a refused request's remaining body is read (and discarded) before the connection is closed anyway. */
    private static final long DRAIN_LIMIT_MILLIS = 30_000;
    /** The same, for requests refused because the providers are full. */
    private static final long BUSY_DRAIN_LIMIT_MILLIS = 5_000;

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
     * Answers a request whose body may still be arriving (an API key or size check, a failed upload). The answer is
     * sent at once and marked {@code Connection: close}; the rest of the body is read and dropped, so that clients
     * that write the whole body before reading see the answer rather than a reset connection; then the connection is
     * closed. A client refused for want of room (503) is given {@value #BUSY_DRAIN_LIMIT_MILLIS} ms, so that a busy
     * server spends little on bodies it refuses. A client too slow to send its upload (408) is not waited for: its
     * connection is closed once the answer is written.
     */
    static void refuse(RoutingContext ctx, OpenAiApiException error) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (answered(ctx, error)) {
            return;
        }
        log(ctx, error);
        prepare(response, error);
        if (request.version() == HttpVersion.HTTP_2) {
            // HTTP/2 ends the stream with the response; the connection serves other streams
            response.end(error.toJson().encode());
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        if (error.status() == 408) {
            response.end(error.toJson().encode()).onComplete(ar -> request.connection().close());
            return;
        }
        if (!request.isEnded()) {
            long timer = ctx.vertx().setTimer(error.status() == 503 ? BUSY_DRAIN_LIMIT_MILLIS : DRAIN_LIMIT_MILLIS,
                    id -> request.connection().close());
            request.exceptionHandler(t -> {
            });
            request.handler(data -> {
            });
            request.endHandler(v -> {
                ctx.vertx().cancelTimer(timer);
                if (response.ended()) {
                    request.connection().close();
                }
            });
            request.resume();
        }
        response.end(error.toJson().encode()).onComplete(ar -> {
            if (request.isEnded() || ar.failed()) {
                request.connection().close();
            }
        });
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
