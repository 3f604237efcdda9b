package io.quarkiverse.asr.audio.codecs;

import java.io.ByteArrayOutputStream;

/** Builds Ogg pages for tests. */
final class OggPages {

    private OggPages() {
    }

    /** One page holding whole packets (each under 255 * 255 bytes). */
    static byte[] page(int serial, int sequence, int flags, long granule, byte[]... packets) {
        ByteArrayOutputStream lacing = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            int n = p.length;
            while (n >= 255) {
                lacing.write(255);
                n -= 255;
            }
            lacing.write(n);
            body.writeBytes(p);
        }
        byte[] lace = lacing.toByteArray();
        byte[] page = new byte[27 + lace.length + body.size()];
        page[0] = 'O';
        page[1] = 'g';
        page[2] = 'g';
        page[3] = 'S';
        page[5] = (byte) flags;
        for (int i = 0; i < 8; i++) {
            page[6 + i] = (byte) (granule >>> (8 * i));
            if (i < 4) {
                page[14 + i] = (byte) (serial >>> (8 * i));
                page[18 + i] = (byte) (sequence >>> (8 * i));
            }
        }
        page[26] = (byte) lace.length;
        System.arraycopy(lace, 0, page, 27, lace.length);
        System.arraycopy(body.toByteArray(), 0, page, 27 + lace.length, body.size());
        fixCrc(page, 0);
        return page;
    }

    /** Recomputes the checksum of the page at {@code off}. */
    static void fixCrc(byte[] data, int off) {
        int segments = data[off + 26] & 0xff;
        int len = 27 + segments;
        for (int i = 0; i < segments; i++) {
            len += data[off + 27 + i] & 0xff;
        }
        long crc = OggDecoder.crc(data, off, off + len);
        for (int i = 0; i < 4; i++) {
            data[off + 22 + i] = (byte) (crc >>> (8 * i));
        }
    }
}
