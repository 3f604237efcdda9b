package io.quarkiverse.asr.remote.runtime;

import io.quarkiverse.asr.spi.CancelledException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Passes a caller's cancellation on to the HTTP exchange in flight. The fault-tolerance guard subscribes to each
 * attempt itself and does not cancel it when its own subscriber goes away; this does, so that the request is reset
 * and no retry is sent after a cancellation.
 */
final class Cancellation {

    private boolean cancelled;
    private Cancellable exchange;
    private UniEmitter<?> attempt;

    /** Runs {@code exchange} as the current attempt, or fails at once when already cancelled. */
    <T> Uni<T> attempt(Uni<T> exchange) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                if (cancelled) {
                    emitter.fail(cancelledException());
                    return;
                }
                attempt = emitter;
                this.exchange = exchange.subscribe().with(emitter::complete, emitter::fail);
            }
        });
    }

    synchronized void cancel() {
        cancelled = true;
        if (exchange != null) {
            exchange.cancel();
        }
        if (attempt != null) {
            // ends the guard's wait for this attempt; the failure is not retried, and nobody is listening any more
            attempt.fail(cancelledException());
        }
    }

    private static CancelledException cancelledException() {
        return new CancelledException("The transcription request was cancelled");
    }
}
