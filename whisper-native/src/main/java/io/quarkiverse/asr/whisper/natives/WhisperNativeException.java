package io.quarkiverse.asr.whisper.natives;

/**
 * A failure reported by whisper.cpp or by this binding. Subclasses tell bad model files, library
 * problems and aborted calls apart.
 */
public class WhisperNativeException extends RuntimeException {

    private final int code;

    public WhisperNativeException(String message) {
        this(message, 0, null);
    }

    public WhisperNativeException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    public WhisperNativeException(String message, int code) {
        this(message, code, null);
    }

    protected WhisperNativeException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The non-zero return code of the failed whisper.cpp call, or 0 when the failure did not come with one. */
    public int code() {
        return code;
    }
}
