package io.quarkiverse.asr.runtime.http;

import java.time.Duration;

import io.quarkiverse.asr.runtime.AsrHttpStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose body may still be arriving, for every HTTP edge (an API key or size check, a media type, a
 * failed or late upload), then closes its connection. The answer is sent at once and marked {@code Connection: close};
 * the rest of the body is read and dropped, so that clients that write the whole body before reading see the answer
 * rather than a broken pipe or a reset connection, for at most {@link #DRAIN_LIMIT} ({@link #BUSY_DRAIN_LIMIT} after
 * a 503); then the connection is closed. A client too slow to send its upload (408) is not waited for: its connection
 * is closed once the answer is written. HTTP/2 ends the stream only: the connection serves other streams.
 */
public final class RefusedRequests {

    /** How long a refused request's remaining body is read, and dropped, before the connection is closed anyway. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    /** The same after a 503: a server without room for the request spends little on its body. */
    static final Duration BUSY_DRAIN_LIMIT = Duration.ofSeconds(5);

    private RefusedRequests() {
    }

    /** Ends the exchange with {@code body}, the response's status and headers already set. */
    public static void answer(RoutingContext ctx, String body) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (request.version() == HttpVersion.HTTP_2) {
            response.end(body);
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        if (response.getStatusCode() == AsrHttpStatus.UPLOAD_TIMEOUT.status()) {
            response.end(body).onComplete(ar -> request.connection().close());
            return;
        }
        if (!request.isEnded()) {
            Duration drainLimit = response.getStatusCode() == 503 ? BUSY_DRAIN_LIMIT : DRAIN_LIMIT;
            long timer = ctx.vertx().setTimer(drainLimit.toMillis(), id -> request.connection().close());
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
        response.end(body).onComplete(ar -> {
            if (request.isEnded() || ar.failed()) {
                request.connection().close();
            }
        });
    }
}
