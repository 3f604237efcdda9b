package io.quarkiverse.asr.spi;

/** The transcription was stopped before it finished: cancelled by the caller, timed out, or shut down. */
public class CancelledException extends AsrException {

    public CancelledException(String message) {
        super(message);
    }

    public CancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
