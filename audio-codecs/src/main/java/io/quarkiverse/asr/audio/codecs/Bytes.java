package io.quarkiverse.asr.audio.codecs;

import java.nio.charset.StandardCharsets;

/** Bounds-checked reads of big- and little-endian integers from untrusted bytes. */
final class Bytes {

    private Bytes() {
    }

    static boolean has(byte[] b, int off, int n) {
        return off >= 0 && n >= 0 && off <= b.length - n;
    }

    static boolean ascii(byte[] b, int off, String s) {
        if (!has(b, off, s.length())) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[off + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static String fourcc(byte[] b, int off) {
        return has(b, off, 4) ? new String(b, off, 4, StandardCharsets.ISO_8859_1) : "";
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int u16be(byte[] b, int off) {
        return (u8(b, off) << 8) | u8(b, off + 1);
    }

    static int u24be(byte[] b, int off) {
        return (u8(b, off) << 16) | u16be(b, off + 1);
    }

    static long u32be(byte[] b, int off) {
        return ((long) u8(b, off) << 24) | u24be(b, off + 1);
    }

    static long u64be(byte[] b, int off) {
        return (u32be(b, off) << 32) | u32be(b, off + 4);
    }

    static int u16le(byte[] b, int off) {
        return u8(b, off) | (u8(b, off + 1) << 8);
    }

    static long u32le(byte[] b, int off) {
        return u16le(b, off) | ((long) u16le(b, off + 2) << 16);
    }

    static long i64le(byte[] b, int off) {
        return u32le(b, off) | (u32le(b, off + 4) << 32);
    }

    /** Length of an ID3v2 tag at {@code off} (header, body and footer), or 0 when there is none. */
    static int id3v2Length(byte[] b, int off) {
        if (!ascii(b, off, "ID3") || !has(b, off, 10)) {
            return 0;
        }
        int major = u8(b, off + 3);
        int flags = u8(b, off + 5);
        if (major == 0xff || u8(b, off + 4) == 0xff) {
            return 0;
        }
        int size = 0;
        for (int i = 6; i < 10; i++) {
            int v = u8(b, off + i);
            if (v >= 0x80) {
                return 0;
            }
            size = (size << 7) | v;
        }
        return 10 + size + ((flags & 0x10) != 0 ? 10 : 0);
    }
}
