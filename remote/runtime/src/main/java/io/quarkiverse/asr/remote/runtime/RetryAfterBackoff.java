package io.quarkiverse.asr.remote.runtime;

import java.time.Duration;

import io.quarkiverse.asr.spi.OverloadedException;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Waits as long as the service's {@code Retry-After} asks; without one, the configured delay, doubled with each retry
 * up to the maximum. One instance serves one request and its retries.
 */
final class RetryAfterBackoff implements CustomBackoffStrategy {

    private final Duration maxDelay;
    private long nextDefaultMillis;

    RetryAfterBackoff(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    @Override
    public void init(long initialDelayInMillis) {
        nextDefaultMillis = initialDelayInMillis;
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        if (cause instanceof OverloadedException overloaded && overloaded.retryAfter().isPresent()) {
            return overloaded.retryAfter().get().toMillis();
        }
        long delay = Math.min(nextDefaultMillis, maxDelay.toMillis());
        nextDefaultMillis = Math.min(nextDefaultMillis * 2, maxDelay.toMillis());
        return delay;
    }

    /** Whether a failure is worth a retry: the service is overloaded and asks for no longer a wait than allowed. */
    static boolean retryable(Throwable failure, Duration maxDelay) {
        return failure instanceof OverloadedException overloaded
                && overloaded.retryAfter().map(wait -> wait.compareTo(maxDelay) <= 0).orElse(true);
    }
}
