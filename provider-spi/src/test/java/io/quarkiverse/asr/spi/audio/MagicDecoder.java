package io.quarkiverse.asr.spi.audio;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A decoder registered for the tests through {@code META-INF/services}: "MAGIC" followed by one 8 kHz sample of 0.25
 * per byte; "MAGIC!" makes it fail the way a buggy decoder would.
 */
public class MagicDecoder implements AudioDecoder {

    static final byte[] MAGIC = "MAGIC".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean accepts(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    @Override
    public PcmAudio decode(byte[] data) {
        if (data.length > MAGIC.length && data[MAGIC.length] == '!') {
            throw new ArrayIndexOutOfBoundsException("bug");
        }
        float[] samples = new float[data.length - MAGIC.length];
        Arrays.fill(samples, 0.25f);
        return new PcmAudio(samples, 8000);
    }
}
