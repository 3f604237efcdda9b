package io.quarkiverse.asr.spi;

/**
 * Base of every failure a provider reports. Subtypes say whose fault it is, so an HTTP edge can map them:
 * {@link UnsupportedAudioException} and {@link UnsupportedFeatureException} are the caller's (4xx),
 * {@link OverloadedException} and {@link ProviderUnavailableException} are transient (503),
 * {@link ModelException} is the deployment's.
 */
public class AsrException extends RuntimeException {

    public AsrException(String message) {
        super(message);
    }

    public AsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
