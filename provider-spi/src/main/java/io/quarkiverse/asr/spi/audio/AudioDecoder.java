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
     * Decodes into {@code out} as decoding goes: {@link PcmOutput#start} with the stream's rate, then mono blocks,
     * with {@link PcmOutput#checkCancelled()} between steps. Decoders of long audio override this so that it is never
     * held whole at its own rate; by default the result of {@link #decode(byte[])} is written in one piece.
     *
     * @throws UnsupportedAudioException when the data is corrupt, truncated or uses an unsupported encoding
     */
    default void decode(byte[] data, PcmOutput out) {
        PcmAudio audio = decode(data);
        out.start(audio.sampleRate());
        out.write(audio.samples(), 0, audio.samples().length);
    }

    /**
     * The formats this decoder reads, named as users know them (for example {@code "MP3"} or
     * {@code "Ogg Opus/Vorbis"}), for the message that lists what is supported; by default the class's simple name.
     */
    default String formats() {
        return getClass().getSimpleName();
    }
}
