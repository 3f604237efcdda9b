package io.quarkiverse.asr.spi;

/** The audio cannot be decoded: unknown container or codec, corrupt or truncated data, no samples. */
public class UnsupportedAudioException extends AsrException {

    public UnsupportedAudioException(String message) {
        super(message);
    }

    public UnsupportedAudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
