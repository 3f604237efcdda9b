package io.quarkiverse.asr.spi;

/** The model is missing, unreadable, corrupt or cannot be loaded. */
public class ModelException extends AsrException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
