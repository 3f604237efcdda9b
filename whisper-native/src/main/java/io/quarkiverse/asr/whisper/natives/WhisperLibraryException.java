package io.quarkiverse.asr.whisper.natives;

/**
 * The whisper.cpp library cannot be used: no bundled build for this platform, a configured library that
 * is missing or of an unsupported version, a failed extraction or load, or native access not enabled.
 */
public class WhisperLibraryException extends WhisperNativeException {

    public WhisperLibraryException(String message) {
        super(message);
    }

    public WhisperLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
