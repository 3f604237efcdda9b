package io.quarkiverse.asr.audio.codecs;

/**
 * FLAC frame decoding (RFC 9639): frame headers with their CRC-8, constant, verbatim, fixed and LPC
 * subframes, partitioned Rice residuals with escapes, wasted bits, stereo decorrelation, CRC-16.
 *
 * <p>
 * Written here rather than taken from jFLAC: that library prints a line to standard output for every escaped
 * residual partition (which hostile input can repeat millions of times), can spin without reading once its
 * sample count is reached, and parses untrusted metadata with unbounded allocations. FLAC is lossless, so
 * correctness is exact and testable: the tests compare with the source WAV and with the MD5 signature that
 * every FLAC stream carries.
 */
final class FlacFrames {

    private static final int[] RATES = { 0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000 };
    private static final int[] SIZES = { 0, 8, 12, 0, 16, 20, 24, 0 };

    private final byte[] d;
    private final int end;
    private final int rate;
    private final int channels;
    private final int bits;
    /** Decoded samples of the current frame, per channel. */
    final int[][] samples;
    int blockSize;

    // bit reader state
    private int pos;
    private int bit; // bits consumed of d[pos]

    FlacFrames(byte[] data, int end, int rate, int channels, int bits) {
        this.d = data;
        this.end = end;
        this.rate = rate;
        this.channels = channels;
        this.bits = bits;
        this.samples = new int[channels][];
    }

    /** Thrown for a frame that cannot be decoded; the caller resynchronises. */
    static final class BadFrame extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean truncated;

        BadFrame(String message) {
            this(message, false);
        }

        BadFrame(String message, boolean truncated) {
            super(message, null, false, false);
            this.truncated = truncated;
        }
    }

    /** Whether a frame header that passes its CRC-8 and matches the stream starts at {@code p}. */
    boolean isFrameStart(int p) {
        if (p + 6 > end || d[p] != (byte) 0xff || (d[p + 1] & 0xfe) != 0xf8) {
            return false;
        }
        try {
            pos = p;
            bit = 0;
            header();
            return true;
        } catch (BadFrame e) {
            return false;
        }
    }

    /** The offset of the next frame start at or after {@code from}, or -1. */
    int sync(int from) {
        for (int p = from; p + 6 <= end; p++) {
            if (d[p] == (byte) 0xff && isFrameStart(p)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Decodes the frame at {@code p} into {@link #samples} and {@link #blockSize}; returns the offset after it.
     * A frame whose header is good but whose body fails (CRC-16 or syntax) sets blockSize and throws, so that
     * the caller can put silence of that length in its place.
     */
    int decode(int p) throws BadFrame {
        pos = p;
        bit = 0;
        blockSize = 0;
        int assignment = header();
        for (int c = 0; c < channels; c++) {
            if (samples[c] == null || samples[c].length < blockSize) {
                samples[c] = new int[Math.max(blockSize, 4096)];
            }
            int extra = (assignment == 8 && c == 1) || (assignment == 9 && c == 0) || (assignment == 10 && c == 1) ? 1 : 0;
            subframe(samples[c], bits + extra);
        }
        if (bit != 0) {
            if (read(8 - bit) != 0) {
                throw new BadFrame("non-zero frame padding");
            }
        }
        int crcEnd = pos;
        int crc = read(16);
        if (crc16(p, crcEnd) != crc) {
            throw new BadFrame("frame CRC mismatch");
        }
        int n = blockSize;
        switch (assignment) {
            case 8 -> { // left, side
                int[] l = samples[0];
                int[] s = samples[1];
                for (int i = 0; i < n; i++) {
                    s[i] = l[i] - s[i];
                }
            }
            case 9 -> { // side, right
                int[] s = samples[0];
                int[] r = samples[1];
                for (int i = 0; i < n; i++) {
                    s[i] += r[i];
                }
            }
            case 10 -> { // mid, side
                int[] m = samples[0];
                int[] s = samples[1];
                for (int i = 0; i < n; i++) {
                    int side = s[i];
                    int mid = (m[i] << 1) | (side & 1);
                    m[i] = (mid + side) >> 1;
                    s[i] = (mid - side) >> 1;
                }
            }
            default -> {
            }
        }
        return pos;
    }

    /** Parses and checks the frame header at the current position; returns the channel assignment. */
    private int header() throws BadFrame {
        int start = pos;
        if (read(15) != 0x7ffc) {
            throw new BadFrame("no frame sync");
        }
        read(1); // blocking strategy
        int sizeCode = read(4);
        int rateCode = read(4);
        int assignment = read(4);
        int sizeBits = read(3);
        if (read(1) != 0) {
            throw new BadFrame("reserved bit set");
        }
        // coded frame or sample number: UTF-8-like, 1 to 7 bytes
        int first = read(8);
        int more = first < 0x80 ? 0 : first >= 0xfe ? 6 : Integer.numberOfLeadingZeros(~(first << 24)) - 1;
        if (first >= 0x80 && (more < 1 || first == 0xff)) {
            throw new BadFrame("invalid frame number");
        }
        for (int i = 0; i < more; i++) {
            if ((read(8) & 0xc0) != 0x80) {
                throw new BadFrame("invalid frame number");
            }
        }
        int size;
        if (sizeCode == 0) {
            throw new BadFrame("reserved block size");
        } else if (sizeCode == 1) {
            size = 192;
        } else if (sizeCode <= 5) {
            size = 576 << (sizeCode - 2);
        } else if (sizeCode == 6) {
            size = read(8) + 1;
        } else if (sizeCode == 7) {
            size = read(16) + 1;
        } else {
            size = 256 << (sizeCode - 8);
        }
        int frameRate;
        if (rateCode == 0) {
            frameRate = rate;
        } else if (rateCode <= 11) {
            frameRate = RATES[rateCode];
        } else if (rateCode == 12) {
            frameRate = read(8) * 1000;
        } else if (rateCode == 13) {
            frameRate = read(16);
        } else if (rateCode == 14) {
            frameRate = read(16) * 10;
        } else {
            throw new BadFrame("invalid sample rate code");
        }
        int crc8 = read(8);
        if (crc8(start, pos - 1) != crc8) {
            throw new BadFrame("frame header CRC mismatch");
        }
        int frameChannels = assignment < 8 ? assignment + 1 : assignment <= 10 ? 2 : -1;
        int frameBits = sizeBits == 0 ? bits : SIZES[sizeBits];
        if (frameChannels != channels || frameBits != bits || frameRate != rate) {
            throw new BadFrame("frame does not match the stream (channels, sample size or rate)");
        }
        blockSize = size;
        return assignment;
    }

    private void subframe(int[] out, int sampleBits) throws BadFrame {
        if (read(1) != 0) {
            throw new BadFrame("subframe padding bit set");
        }
        int type = read(6);
        int wasted = 0;
        if (read(1) == 1) {
            wasted = 1;
            while (read(1) == 0) {
                wasted++;
                if (wasted >= sampleBits) {
                    throw new BadFrame("invalid wasted bits");
                }
            }
            sampleBits -= wasted;
        }
        int n = blockSize;
        if (type == 0) {
            int v = readSigned(sampleBits);
            java.util.Arrays.fill(out, 0, n, v);
        } else if (type == 1) {
            for (int i = 0; i < n; i++) {
                out[i] = readSigned(sampleBits);
            }
        } else if (type >= 8 && type <= 12) {
            int order = type - 8;
            if (order > n) {
                throw new BadFrame("predictor order larger than the block");
            }
            for (int i = 0; i < order; i++) {
                out[i] = readSigned(sampleBits);
            }
            residual(out, order);
            fixed(out, order, n);
        } else if (type >= 32) {
            int order = type - 31;
            if (order > n) {
                throw new BadFrame("predictor order larger than the block");
            }
            for (int i = 0; i < order; i++) {
                out[i] = readSigned(sampleBits);
            }
            int precision = read(4) + 1;
            if (precision == 16) {
                throw new BadFrame("invalid LPC precision");
            }
            int shift = readSigned(5);
            if (shift < 0) {
                throw new BadFrame("negative LPC shift");
            }
            int[] coefs = new int[order];
            for (int i = 0; i < order; i++) {
                coefs[i] = readSigned(precision);
            }
            residual(out, order);
            for (int i = order; i < n; i++) {
                long sum = 0;
                for (int j = 0; j < order; j++) {
                    sum += (long) coefs[j] * out[i - 1 - j];
                }
                out[i] += (int) (sum >> shift);
            }
        } else {
            throw new BadFrame("reserved subframe type " + type);
        }
        if (wasted > 0) {
            for (int i = 0; i < n; i++) {
                out[i] <<= wasted;
            }
        }
    }

    private static void fixed(int[] s, int order, int n) {
        switch (order) {
            case 1 -> {
                for (int i = 1; i < n; i++) {
                    s[i] += s[i - 1];
                }
            }
            case 2 -> {
                for (int i = 2; i < n; i++) {
                    s[i] += 2 * s[i - 1] - s[i - 2];
                }
            }
            case 3 -> {
                for (int i = 3; i < n; i++) {
                    s[i] += 3 * s[i - 1] - 3 * s[i - 2] + s[i - 3];
                }
            }
            case 4 -> {
                for (int i = 4; i < n; i++) {
                    s[i] += 4 * s[i - 1] - 6 * s[i - 2] + 4 * s[i - 3] - s[i - 4];
                }
            }
            default -> {
            }
        }
    }

    /** Reads the residual into out[order..blockSize). */
    private void residual(int[] out, int order) throws BadFrame {
        int method = read(2);
        if (method > 1) {
            throw new BadFrame("reserved residual coding method");
        }
        int paramBits = method == 0 ? 4 : 5;
        int escape = method == 0 ? 15 : 31;
        int partitionOrder = read(4);
        int partitions = 1 << partitionOrder;
        int n = blockSize;
        if ((n & (partitions - 1)) != 0 || (n >> partitionOrder) < order) {
            throw new BadFrame("invalid residual partition order");
        }
        int per = n >> partitionOrder;
        int i = order;
        for (int part = 0; part < partitions; part++) {
            int count = part == 0 ? per - order : per;
            int param = read(paramBits);
            if (param == escape) {
                int raw = read(5);
                for (int k = 0; k < count; k++) {
                    out[i++] = raw == 0 ? 0 : readSigned(raw);
                }
            } else {
                for (int k = 0; k < count; k++) {
                    out[i++] = rice(param);
                }
            }
        }
    }

    private int rice(int param) throws BadFrame {
        // unary quotient: count zero bits up to a one
        int q = 0;
        while (true) {
            if (pos >= end) {
                throw new BadFrame("truncated frame", true);
            }
            int v = (d[pos] << bit) & 0xff;
            if (v == 0) {
                q += 8 - bit;
                pos++;
                bit = 0;
                if (q > (1 << 24)) {
                    throw new BadFrame("invalid Rice code");
                }
                continue;
            }
            int zeros = Integer.numberOfLeadingZeros(v) - 24;
            q += zeros;
            bit += zeros + 1;
            if (bit == 8) {
                pos++;
                bit = 0;
            }
            break;
        }
        long u = ((long) q << param) | (param == 0 ? 0 : read(param) & 0xffffffffL);
        return (int) (u >>> 1) ^ -(int) (u & 1);
    }

    private int read(int n) throws BadFrame {
        int v = 0;
        while (n > 0) {
            if (pos >= end) {
                throw new BadFrame("truncated frame", true);
            }
            int avail = 8 - bit;
            int take = Math.min(avail, n);
            int b = (d[pos] & 0xff) >>> (avail - take) & ((1 << take) - 1);
            v = (v << take) | b;
            n -= take;
            bit += take;
            if (bit == 8) {
                bit = 0;
                pos++;
            }
        }
        return v;
    }

    private int readSigned(int n) throws BadFrame {
        if (n == 0) {
            return 0;
        }
        int v = read(n);
        return n == 32 ? v : (v << (32 - n)) >> (32 - n);
    }

    private int crc8(int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= d[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
            }
        }
        return crc;
    }

    private static final int[] CRC16 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 8;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1;
            }
            CRC16[i] = c & 0xffff;
        }
    }

    private int crc16(int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ CRC16[((crc >>> 8) ^ d[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    int rate() {
        return rate;
    }
}
