package io.quarkiverse.asr.audio.codecs;

/**
 * An MPEG-1/2/2.5 audio frame header (layers I-III).
 *
 * @param mpeg1 MPEG-1 (else MPEG-2 or 2.5, the "low sampling frequency" versions)
 * @param layer 1, 2 or 3
 * @param channels 1 or 2
 * @param frameLength bytes in the frame, header included
 * @param samples samples per channel in the frame
 * @param key the bits that stay constant through a stream (version, layer, rate, mono or not)
 */
record MpegHeader(boolean mpeg1, int layer, int sampleRate, int channels, int frameLength, int samples, int key) {

    private static final int[][] BITRATES = { // kbit/s by [table][index]
            { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448 }, // V1 L1
            { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 }, // V1 L2
            { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 }, // V1 L3
            { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 }, // V2 L1
            { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 }, // V2 L2, L3
    };
    private static final int[][] RATES = { { 11025, 12000, 8000 }, null, { 22050, 24000, 16000 }, { 44100, 48000, 32000 } };

    /** The header at {@code off}, or null when the 4 bytes there are not a valid header (free format is not supported). */
    static MpegHeader parse(byte[] b, int off) {
        if (!Bytes.has(b, off, 4)) {
            return null;
        }
        int h = (int) Bytes.u32be(b, off);
        if ((h >>> 21) != 0x7ff) {
            return null;
        }
        int version = (h >>> 19) & 3; // 0: 2.5, 1: reserved, 2: 2, 3: 1
        int layerBits = (h >>> 17) & 3;
        int bitrateIndex = (h >>> 12) & 15;
        int rateIndex = (h >>> 10) & 3;
        int padding = (h >>> 9) & 1;
        int mode = (h >>> 6) & 3;
        if (version == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3
                || (h & 3) == 2) {
            return null;
        }
        int layer = 4 - layerBits;
        boolean mpeg1 = version == 3;
        int table = mpeg1 ? layer - 1 : (layer == 1 ? 3 : 4);
        int bitrate = BITRATES[table][bitrateIndex] * 1000;
        int rate = RATES[version][rateIndex];
        int length;
        int samples;
        if (layer == 1) {
            length = (12 * bitrate / rate + padding) * 4;
            samples = 384;
        } else if (layer == 2 || mpeg1) {
            length = 144 * bitrate / rate + padding;
            samples = 1152;
        } else {
            length = 72 * bitrate / rate + padding;
            samples = 576;
        }
        return new MpegHeader(mpeg1, layer, rate, mode == 3 ? 1 : 2, length, samples, (h & 0xfffe0c00) | (mode == 3 ? 1 : 0));
    }

    /** Offset of the Xing/Info tag in a layer III frame, after header and side information. */
    int sideInfoEnd() {
        return 4 + (mpeg1 ? (channels == 1 ? 17 : 32) : (channels == 1 ? 9 : 17));
    }
}
