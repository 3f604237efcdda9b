package io.quarkiverse.asr.spi;

/**
 * Base of every failure a provider reports. Subtypes say whose fault it is, so an HTTP edge can map them:
 * {@link UnsupportedAudioException} and {@link UnsupportedFeatureException} are the caller's (4xx),
 * {@link OverloadedException} and {@link ProviderUnavailableException} are transient (503),
 * {@link ModelException} is the deployment's. {@link #retryable()} tells a caller whether sending the same request again
 * may succeed.
 */
public class AsrException extends RuntimeException {

    public AsrException(String message) {
        super(message);
    }

    public AsrException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same request may succeed if sent again later: the failure is transient (overload, timeout, a service
     * briefly down), not in the request, the audio or the deployment. False unless a subtype says otherwise.
     */
    public boolean retryable() {
        return false;
    }
}
