package io.quarkiverse.asr.spi;

/**
 * The decoded audio would need more memory than the whole decoding budget allows, so it can never be decoded here
 * (retrying does not help; a shorter or lower-rate file does).
 */
public class AudioTooLargeException extends UnsupportedAudioException {

    public AudioTooLargeException(String message) {
        super(message);
    }
}
