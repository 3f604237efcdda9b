package io.quarkiverse.asr.spi.audio;

import io.quarkiverse.asr.spi.UnsupportedAudioException;

/**
 * Decodes one family of audio containers. Implementations are found with {@link java.util.ServiceLoader}
 * (besides the built-in {@link WavDecoder}) and must be thread-safe.
 */
public interface AudioDecoder {

    /** Whether {@code head}, the first bytes of the data (at least 64 when the data is that long), look like this format. */
    boolean accepts(byte[] head);

    /**
     * Decodes to mono (channels averaged) at the stream's own rate.
     *
     * @throws UnsupportedAudioException when the data is corrupt, truncated or uses an unsupported encoding
     */
    PcmAudio decode(byte[] data);

    /**
     * The formats this decoder reads, named as users know them (for example {@code "MP3"} or
     * {@code "Ogg Opus/Vorbis"}), for the message that lists what is supported; by default the class's simple name.
     */
    default String formats() {
        return getClass().getSimpleName();
    }
}
