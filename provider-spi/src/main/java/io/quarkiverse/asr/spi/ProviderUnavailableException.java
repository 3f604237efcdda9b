package io.quarkiverse.asr.spi;

/** The provider cannot serve requests: its engine failed to start, is shut down, or a remote service is down. */
public class ProviderUnavailableException extends AsrException {

    public ProviderUnavailableException(String message) {
        super(message);
    }

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
