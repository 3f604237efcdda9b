package io.quarkiverse.asr.spi;

import java.time.Duration;
import java.util.Optional;

/** Every worker is busy and the wait queue is full; retrying later may succeed. */
public class OverloadedException extends AsrException {

    private final Duration retryAfter;

    public OverloadedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** Always: the load passes. */
    @Override
    public boolean retryable() {
        return true;
    }

    /** A hint of when to retry, when the provider can tell. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
