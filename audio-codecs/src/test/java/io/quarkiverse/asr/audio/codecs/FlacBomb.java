package io.quarkiverse.asr.audio.codecs;

import java.io.ByteArrayOutputStream;

/**
 * The audio bomb of issue 12: a FLAC stream of constant subframes, 16 bytes of payload per 65 535-sample stereo block,
 * so that a file of tens of kilobytes decodes to hours of 44.1 kHz audio (1.9 h, under the 2 h duration limit: 82 KB).
 */
final class FlacBomb {

    static final int RATE = 44_100;
    static final int CHANNELS = 2;
    static final int BLOCK = 65_535;

    private FlacBomb() {
    }

    /**
     * @param seconds the audio the frames hold
     * @param declare whether STREAMINFO states the length (else 0: unknown, as a streaming encoder leaves it)
     */
    static byte[] of(double seconds, boolean declare) {
        return of(RATE, seconds, declare);
    }

    /** As {@link #of(double, boolean)}, at {@code rate} Hz. */
    static byte[] of(int rate, double seconds, boolean declare) {
        long total = (long) (seconds * rate);
        long frames = Math.ceilDiv(total, BLOCK);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (16 * frames + 64));
        out.writeBytes("fLaC".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] { (byte) 0x80, 0, 0, 34 }); // the last metadata block: STREAMINFO, 34 bytes
        byte[] info = new byte[34];
        info[0] = (byte) (BLOCK >>> 8); // min and max block size
        info[1] = (byte) BLOCK;
        info[2] = (byte) (BLOCK >>> 8);
        info[3] = (byte) BLOCK;
        // rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36)
        long packed = ((long) rate << 44) | ((long) (CHANNELS - 1) << 41) | (15L << 36) | (declare ? frames * BLOCK : 0);
        for (int i = 0; i < 8; i++) {
            info[10 + i] = (byte) (packed >>> (56 - 8 * i));
        }
        out.writeBytes(info);
        for (long n = 0; n < frames; n++) {
            out.writeBytes(frame((int) n, (short) (n % 2 == 0 ? 1000 : -1000)));
        }
        return out.toByteArray();
    }

    /** Frame {@code number}: a fixed-size block of {@link #BLOCK} samples, both channels constant at {@code value}. */
    private static byte[] frame(int number, short value) {
        FlacTest.MsbWriter f = new FlacTest.MsbWriter();
        // sync and fixed blocking; block size in 16 bits after the header; rate and sample size from STREAMINFO;
        // two independent channels
        f.bits(0xfff8, 16).bits(7, 4).bits(0, 4).bits(CHANNELS - 1, 4).bits(0, 3).bits(0, 1);
        utf8(f, number);
        f.bits(BLOCK - 1, 16);
        f.bits(FlacTest.crc8(f.bytes()), 8);
        for (int c = 0; c < CHANNELS; c++) {
            f.bits(0, 1).bits(0, 6).bits(0, 1).bits(value & 0xffff, 16); // a CONSTANT subframe
        }
        byte[] body = f.bytes();
        FlacTest.MsbWriter framed = new FlacTest.MsbWriter();
        for (byte b : body) {
            framed.bits(b & 0xff, 8);
        }
        return framed.bits(FlacTest.crc16(body), 16).bytes();
    }

    /** FLAC's UTF-8-like coding of the frame number (up to 65 535 here). */
    private static void utf8(FlacTest.MsbWriter f, int v) {
        if (v < 0x80) {
            f.bits(v, 8);
        } else if (v < 0x800) {
            f.bits(0xc0 | v >>> 6, 8).bits(0x80 | v & 0x3f, 8);
        } else {
            f.bits(0xe0 | v >>> 12, 8).bits(0x80 | (v >>> 6) & 0x3f, 8).bits(0x80 | v & 0x3f, 8);
        }
    }
}
