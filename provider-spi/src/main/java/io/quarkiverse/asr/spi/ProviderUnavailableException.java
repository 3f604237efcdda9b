package io.quarkiverse.asr.spi;

/**
 * The provider cannot serve requests: its engine failed to start, is shut down, or a remote service is down or refuses
 * the credentials. Only the transient cases (a service that cannot be reached or answers 5xx) are
 * {@linkplain #retryable() retryable}.
 */
public class ProviderUnavailableException extends AsrException {

    private final boolean retryable;

    /** A lasting failure: retrying does not help until someone changes something. */
    public ProviderUnavailableException(String message) {
        this(message, null, false);
    }

    /** A lasting failure: retrying does not help until someone changes something. */
    public ProviderUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param retryable whether the failure is transient, so that a later retry may succeed */
    public ProviderUnavailableException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
