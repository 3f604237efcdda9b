package io.quarkiverse.asr.audio.codecs;

/**
 * Native FLAC streams ({@code fLaC}), decoded by {@link FlacFrames}. Of the metadata only STREAMINFO is read;
 * other blocks (pictures, tags) are skipped by their length. Frames failing their CRC come out as silence, as
 * in the reference decoder, and the decoder resynchronises on the next frame header.
 */
public final class FlacDecoder extends BaseDecoder {

    public FlacDecoder() {
    }

    public FlacDecoder(CodecLimits limits) {
        super(limits);
    }

    @Override
    String format() {
        return "FLAC";
    }

    @Override
    public String formats() {
        return "FLAC";
    }

    @Override
    public boolean accepts(byte[] head) {
        return head != null && Bytes.ascii(head, 0, "fLaC");
    }

    @Override
    void decode(byte[] data, Work work) {
        decodeFlac(data, 0, data.length, work);
    }

    static void decodeFlac(byte[] data, int start, int end, Work work) {
        if (!Bytes.ascii(data, start, "fLaC")) {
            throw work.fail("no fLaC marker");
        }
        int p = start + 4;
        int streamInfo = -1;
        boolean last = false;
        while (!last) {
            work.check();
            if (p + 4 > end) {
                throw work.fail("truncated in the metadata blocks");
            }
            int type = Bytes.u8(data, p) & 0x7f;
            last = (Bytes.u8(data, p) & 0x80) != 0;
            int length = Bytes.u24be(data, p + 1);
            if (type == 127) {
                throw work.fail("invalid metadata block type 127");
            }
            if (type == 0) {
                if (length != 34 || streamInfo >= 0) {
                    throw work.fail("invalid STREAMINFO block");
                }
                streamInfo = p + 4;
            }
            p += 4 + length;
            if (p > end) {
                throw work.fail("truncated in the metadata blocks");
            }
        }
        if (streamInfo < 0) {
            throw work.fail("no STREAMINFO block");
        }
        int rate = (Bytes.u24be(data, streamInfo + 10) >>> 4);
        int channels = ((Bytes.u8(data, streamInfo + 12) >>> 1) & 7) + 1;
        int bits = (((Bytes.u8(data, streamInfo + 12) & 1) << 4) | (Bytes.u8(data, streamInfo + 13) >>> 4)) + 1;
        long total = ((Bytes.u8(data, streamInfo + 13) & 0x0fL) << 32) | Bytes.u32be(data, streamInfo + 14);
        int maxBlock = Bytes.u16be(data, streamInfo + 2);
        if (rate == 0) {
            throw work.fail("invalid sample rate 0");
        }
        if (bits < 4 || bits > 24) {
            throw work.fail(bits + "-bit samples are not supported (4 to 24 bits are)");
        }
        if (maxBlock < 16) {
            throw work.fail("invalid maximum block size " + maxBlock);
        }
        if (p >= end) {
            throw work.fail("no audio frames");
        }
        if (total > 0 && total > work.limits.maxSamples(rate)) {
            throw work.fail("the audio (" + total / rate + " s) is longer than the limit of "
                    + work.limits.maxDuration().toSeconds() + " s (system property " + CodecLimits.MAX_DURATION_PROPERTY + ")");
        }
        PcmSink sink = new PcmSink(work, rate);
        if (total > 0) {
            sink.trim(0, total);
            sink.expect(total);
        }
        FlacFrames frames = new FlacFrames(data, end, rate, channels, bits);
        float scale = 1f / (1 << (bits - 1));
        int q = frames.isFrameStart(p) ? p : frames.sync(p);
        while (q >= 0 && (total <= 0 || sink.size() < total)) {
            work.check();
            int next;
            try {
                next = frames.decode(q);
                sink.planar(frames.samples, channels, frames.blockSize, scale);
                work.good();
            } catch (FlacFrames.BadFrame e) {
                if (e.truncated) {
                    break; // the data ends inside this frame
                }
                work.bad(e.getMessage());
                sink.silence(frames.blockSize); // 0 unless the header was good
                next = q + 2;
            }
            q = frames.isFrameStart(next) ? next : frames.sync(next);
        }
        sink.finish();
    }
}
