package io.quarkiverse.asr.runtime.http;

import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Watches a request body while it arrives, for every HTTP edge: a client that sends nothing of it for
 * {@link UploadTimeouts#idle()}, or takes longer than {@link UploadTimeouts#total()} in all, is reported once to the
 * edge, which answers 408 ({@link io.quarkiverse.asr.runtime.AsrHttpStatus#UPLOAD_TIMEOUT}) in its own error format and
 * closes the connection, so that half-sent requests do not hold connections and upload files.
 * <p>
 * Only the body is watched, from {@link #start} to its end: Quarkus' own {@code quarkus.http.idle-timeout} would also
 * cut a long transcription after the upload, so it cannot be the bound on a stalled client. The watch ends by itself
 * when the body or the exchange ends, or earlier by {@link #stop()}. Progress is the request's
 * {@link HttpServerRequest#bytesRead()}, so the edge may read the body any way it likes; it is polled, which makes a
 * timeout late by at most a tenth of the shorter bound (a second at most), never early.
 * <p>
 * Used on the request's event loop only.
 */
public final class UploadWatch {

    private static final Logger LOG = Logger.getLogger(UploadWatch.class);
    /** The longest between two looks at the request's progress. */
    private static final long MAX_POLL_MILLIS = 1000;

    private final RoutingContext ctx;
    private final UploadTimeouts timeouts;
    private final Consumer<UploadTimeoutException> onTimeout;
    private final long pollMillis;
    private final long started = System.nanoTime();
    private long bytesRead;
    private long lastProgress = started;
    private long timer = -1;
    private boolean stopped;

    private UploadWatch(RoutingContext ctx, UploadTimeouts timeouts, Consumer<UploadTimeoutException> onTimeout) {
        this.ctx = ctx;
        this.timeouts = timeouts;
        this.onTimeout = onTimeout;
        this.pollMillis = Math.clamp(Math.min(timeouts.idle().toMillis(), timeouts.total().toMillis()) / 10, 1,
                MAX_POLL_MILLIS);
        this.bytesRead = ctx.request().bytesRead();
    }

    /**
     * Starts watching the body of {@code ctx}'s request, from now.
     *
     * @param onTimeout called at most once, on the event loop, when the body is late; it answers the request
     */
    public static UploadWatch start(RoutingContext ctx, UploadTimeouts timeouts,
            Consumer<UploadTimeoutException> onTimeout) {
        UploadWatch watch = new UploadWatch(ctx, timeouts, onTimeout);
        ctx.addEndHandler(ignored -> watch.stop());
        watch.schedule(watch.started);
        return watch;
    }

    /** Stops watching: the body has been read, or the edge has answered already. Idempotent. */
    public void stop() {
        stopped = true;
        if (timer >= 0) {
            ctx.vertx().cancelTimer(timer);
            timer = -1;
        }
    }

    private void schedule(long now) {
        long untilIdle = timeouts.idle().toNanos() - (now - lastProgress);
        long untilLimit = timeouts.total().toNanos() - (now - started);
        long wait = Math.min(pollMillis, Math.min(untilIdle, untilLimit) / 1_000_000 + 1);
        timer = ctx.vertx().setTimer(Math.max(1, wait), id -> check());
    }

    private void check() {
        timer = -1;
        HttpServerRequest request = ctx.request();
        if (stopped || request.isEnded() || ctx.response().ended()) {
            return;
        }
        long now = System.nanoTime();
        if (request.bytesRead() != bytesRead) {
            bytesRead = request.bytesRead();
            lastProgress = now;
        }
        boolean idle = now - lastProgress >= timeouts.idle().toNanos();
        if (!idle && now - started < timeouts.total().toNanos()) {
            schedule(now);
            return;
        }
        stopped = true;
        LOG.debugf("%s %s: the upload is too slow, %d bytes in %d ms", request.method(), request.path(), bytesRead,
                (now - started) / 1_000_000);
        onTimeout.accept(new UploadTimeoutException(idle
                ? "The upload stalled: nothing arrived for " + timeouts.idle() + " (" + timeouts.configPrefix()
                        + ".upload-idle-timeout)."
                : "The upload did not arrive within " + timeouts.total() + " (" + timeouts.configPrefix()
                        + ".upload-timeout)."));
    }
}
