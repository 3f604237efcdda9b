package io.quarkiverse.asr.spi.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes mono samples as a 16-bit PCM WAV file, the form every speech-to-text service accepts. Samples read from
 * 16-bit audio by {@link WavDecoder} come back bit for bit.
 */
public final class WavEncoder {

    private static final int HEADER = 44;

    private WavEncoder() {
    }

    /**
     * @throws IllegalArgumentException when the audio is too long for a WAV file (about 18 hours at 16 kHz)
     */
    public static byte[] encode(PcmAudio audio) {
        float[] samples = audio.samples();
        if (samples.length > (Integer.MAX_VALUE - HEADER) / 2) {
            throw new IllegalArgumentException("too many samples for a WAV file: " + samples.length);
        }
        int dataSize = samples.length * 2;
        ByteBuffer out = ByteBuffer.allocate(HEADER + dataSize).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(HEADER - 8 + dataSize)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1) // PCM
                .putShort((short) 1) // mono
                .putInt(audio.sampleRate()).putInt(audio.sampleRate() * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataSize);
        for (float sample : samples) {
            // the decoder's scale (1/32768), so that decoded 16-bit samples round-trip exactly
            long value = Math.round(sample * 32768.0);
            out.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value)));
        }
        return out.array();
    }
}
