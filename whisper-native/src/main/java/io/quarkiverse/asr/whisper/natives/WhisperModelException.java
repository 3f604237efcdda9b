package io.quarkiverse.asr.whisper.natives;

/** A model file that is missing, unreadable, not a whisper ggml file, truncated, or rejected by whisper.cpp. */
public class WhisperModelException extends WhisperNativeException {

    public WhisperModelException(String message) {
        super(message);
    }

    public WhisperModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
