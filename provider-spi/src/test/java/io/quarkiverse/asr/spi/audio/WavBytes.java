package io.quarkiverse.asr.spi.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds WAV files byte by byte, including broken ones. */
final class WavBytes {

    static final int PCM = 1;
    static final int FLOAT = 3;
    static final int EXTENSIBLE = 0xFFFE;

    private WavBytes() {
    }

    /** A RIFF/WAVE file with a correct size field holding {@code chunks} in order. */
    static byte[] riff(byte[]... chunks) {
        byte[] body = concat(chunks);
        return concat(ascii("RIFF"), u32(body.length + 4), ascii("WAVE"), body);
    }

    /** A WAV header with whatever container id and size field a test needs. */
    static byte[] header(String riffId, long riffSize) {
        return concat(ascii(riffId), u32(riffSize), ascii("WAVE"));
    }

    /** A chunk with its true size and a pad byte after an odd-sized body. */
    static byte[] chunk(String id, byte[] body) {
        return concat(ascii(id), u32(body.length), body, new byte[body.length & 1]);
    }

    /** A chunk whose size field says {@code declaredSize}, whatever follows. */
    static byte[] chunk(String id, long declaredSize, byte[] body) {
        return concat(ascii(id), u32(declaredSize), body);
    }

    static byte[] fmt(int tag, int channels, int rate, int bits) {
        return fmt(tag, channels, rate, bits, channels * (bits / 8));
    }

    static byte[] fmt(int tag, int channels, int rate, int bits, int blockAlign) {
        return chunk("fmt ", le(16).putShort((short) tag).putShort((short) channels).putInt(rate)
                .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits).array());
    }

    /** A {@code WAVE_FORMAT_EXTENSIBLE} fmt chunk whose sub-format GUID carries {@code subTag}. */
    static byte[] extensible(int subTag, int channels, int rate, int bits) {
        int blockAlign = channels * bits / 8;
        ByteBuffer b = le(40).putShort((short) EXTENSIBLE).putShort((short) channels).putInt(rate)
                .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits)
                .putShort((short) 22).putShort((short) bits).putInt(0)
                .putShort((short) subTag).put(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
                        (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71 });
        return chunk("fmt ", b.array());
    }

    static byte[] u8(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] s16(int... values) {
        ByteBuffer b = le(values.length * 2);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    static byte[] s24(int... values) {
        ByteBuffer b = le(values.length * 3);
        for (int v : values) {
            b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
        }
        return b.array();
    }

    static byte[] s32(int... values) {
        ByteBuffer b = le(values.length * 4);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] f32(float... values) {
        ByteBuffer b = le(values.length * 4);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] f64(double... values) {
        ByteBuffer b = le(values.length * 8);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    static byte[] u32(long value) {
        return le(4).putInt((int) value).array();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
