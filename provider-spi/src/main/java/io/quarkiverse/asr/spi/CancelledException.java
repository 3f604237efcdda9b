package io.quarkiverse.asr.spi;

/**
 * The transcription was stopped before it finished: cancelled by the caller or interrupted. A timeout is a
 * {@link TranscriptionTimeoutException} instead.
 */
public class CancelledException extends AsrException {

    public CancelledException(String message) {
        super(message);
    }

    public CancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
