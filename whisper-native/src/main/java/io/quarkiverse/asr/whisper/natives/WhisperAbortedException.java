package io.quarkiverse.asr.whisper.natives;

/** {@link FullCallbacks#shouldAbort()} asked whisper.cpp to stop, and it did before finishing the audio. */
public class WhisperAbortedException extends WhisperNativeException {

    public WhisperAbortedException(String message, int code) {
        super(message, code);
    }
}
