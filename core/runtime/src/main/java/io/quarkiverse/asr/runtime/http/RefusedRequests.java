package io.quarkiverse.asr.runtime.http;

import java.time.Duration;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose body may still be arriving, for every HTTP edge (an API key or size check, a media type, a
 * failed or late upload), then closes its connection. The answer is sent at once and marked {@code Connection: close};
 * the rest of the body is read and dropped for up to a drain limit, so that clients that write the whole body before
 * reading see the answer rather than a broken pipe or a reset connection; then the connection is closed. HTTP/2 ends
 * the stream only: the connection serves other streams.
 */
public final class RefusedRequests {

    /** How long a refused request's remaining body is read, and dropped, before the connection is closed anyway. */
    public static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

    private RefusedRequests() {
    }

    /**
     * Ends the exchange with {@code body}, the response's status and headers already set.
     *
     * @param drainLimit how long the rest of the body is read before the connection is closed; zero closes it once the
     *        answer is written, for a client too slow to send its upload (408), which is not waited for
     */
    public static void answer(RoutingContext ctx, String body, Duration drainLimit) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (request.version() == HttpVersion.HTTP_2) {
            response.end(body);
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        if (drainLimit.isZero()) {
            response.end(body).onComplete(ar -> request.connection().close());
            return;
        }
        if (!request.isEnded()) {
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
