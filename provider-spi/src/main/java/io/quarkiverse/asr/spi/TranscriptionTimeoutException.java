package io.quarkiverse.asr.spi;

/**
 * The transcription took longer than the configured limit (for example {@code quarkus.asr.whisper.timeout}) and was
 * stopped, or a remote service gave up on it. Retryable: the same request may fit when the provider is less busy.
 */
public class TranscriptionTimeoutException extends AsrException {

    public TranscriptionTimeoutException(String message) {
        super(message);
    }

    public TranscriptionTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
