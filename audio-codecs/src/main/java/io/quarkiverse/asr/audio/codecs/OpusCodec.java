package io.quarkiverse.asr.audio.codecs;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusMSDecoder;
import io.github.jaredmdobson.concentus.OpusPacketInfo;

/**
 * Opus packets to PCM through Concentus, a Java port of libopus.
 *
 * <p>
 * Opus always codes at 48 kHz internally, but libopus decodes natively (band-limited, without a resampler)
 * to 8, 12, 16, 24 or 48 kHz. The output rate is the original input rate that the header records when it is
 * one of those, else 48 kHz: speech recorded at 16 kHz comes out at 16 kHz, ready for ASR.
 */
final class OpusCodec {

    /** The OpusHead fields (RFC 7845), whatever container carried them. */
    record Head(int channels, int preSkip, long inputRate, int gainQ8, int family, int streams, int coupled, short[] mapping) {

        int outputRate() {
            return switch ((int) Math.min(inputRate, Integer.MAX_VALUE)) {
                case 8000, 12000, 16000, 24000 -> (int) inputRate;
                default -> 48000;
            };
        }

        /** 48 kHz sample counts, such as pre-skip and granule positions, at the output rate. */
        long toOutput(long samples48k) {
            return samples48k * outputRate() / 48000;
        }
    }

    /** An OpusHead packet (little-endian, as in Ogg and in Matroska's CodecPrivate). */
    static Head parseOpusHead(byte[] b, int off, int len, Work work) {
        if (len < 19 || !Bytes.ascii(b, off, "OpusHead")) {
            throw work.fail("invalid OpusHead");
        }
        int version = Bytes.u8(b, off + 8);
        if (version >= 16) {
            throw work.fail("unsupported Opus header version " + version);
        }
        return head(Bytes.u8(b, off + 9), Bytes.u16le(b, off + 10), Bytes.u32le(b, off + 12),
                (short) Bytes.u16le(b, off + 16), Bytes.u8(b, off + 18), b, off + 19, len - 19, work);
    }

    /** An MP4 'dOps' box payload (big-endian). */
    static Head parseDops(byte[] b, int off, int len, Work work) {
        if (len < 11 || Bytes.u8(b, off) != 0) {
            throw work.fail("invalid dOps box");
        }
        return head(Bytes.u8(b, off + 1), Bytes.u16be(b, off + 2), Bytes.u32be(b, off + 4),
                (short) Bytes.u16be(b, off + 8), Bytes.u8(b, off + 10), b, off + 11, len - 11, work);
    }

    private static Head head(int channels, int preSkip, long inputRate, int gain, int family, byte[] b, int off, int len,
            Work work) {
        if (channels < 1) {
            throw work.fail("invalid channel count 0");
        }
        if (family == 0) {
            if (channels > 2) {
                throw work.fail("mapping family 0 with " + channels + " channels");
            }
            return new Head(channels, preSkip, inputRate, gain, 0, 1, channels - 1, null);
        }
        if (family != 1 && family != 255) {
            throw work.fail("unsupported Opus channel mapping family " + family);
        }
        if (len < 2 + channels) {
            throw work.fail("truncated channel mapping table");
        }
        int streams = Bytes.u8(b, off);
        int coupled = Bytes.u8(b, off + 1);
        if (streams < 1 || coupled > streams || streams + coupled > 255) {
            throw work.fail("invalid Opus stream counts " + streams + "/" + coupled);
        }
        short[] mapping = new short[channels];
        for (int c = 0; c < channels; c++) {
            mapping[c] = (short) Bytes.u8(b, off + 2 + c);
        }
        return new Head(channels, preSkip, inputRate, gain, family, streams, coupled, mapping);
    }

    private final Head head;
    private final int rate;
    private final int maxFrame;
    private final short[] pcm;
    private final float gain;
    private final OpusDecoder mono;
    private final OpusMSDecoder multi;
    private int lastDuration;

    OpusCodec(Head head) throws Exception {
        this.head = head;
        this.rate = head.outputRate();
        this.maxFrame = rate / 1000 * 120;
        this.pcm = new short[maxFrame * head.channels()];
        this.gain = (float) Math.pow(10, head.gainQ8() / (20.0 * 256));
        if (head.family() == 0) {
            mono = new OpusDecoder(rate, head.channels());
            multi = null;
        } else {
            mono = null;
            multi = OpusMSDecoder.create(rate, head.channels(), head.streams(), head.coupled(), head.mapping());
        }
        this.lastDuration = rate / 50;
    }

    int rate() {
        return rate;
    }

    /** Decodes one packet into the sink; a corrupt packet becomes silence of its nominal duration. */
    void decode(byte[] b, int off, int len, PcmSink sink, Work work) {
        if (len <= 0) {
            return; // a zero-length packet marks a loss (RFC 7845 section 5.2): nothing to add
        }
        int expected;
        try {
            expected = OpusPacketInfo.getNumSamples(b, off, len, rate);
        } catch (RuntimeException | AssertionError e) {
            expected = -1;
        }
        if (expected <= 0 || expected > maxFrame) {
            work.bad("invalid Opus packet (TOC)");
            sink.silence(lastDuration);
            return;
        }
        try {
            int n = mono != null
                    ? mono.decode(b, off, len, pcm, 0, maxFrame, false)
                    : multi.decodeMultistream(b, off, len, pcm, 0, maxFrame, 0);
            if (n < 0) {
                throw new IllegalStateException("Opus error " + n);
            }
            sink.interleaved(pcm, n, head.channels(), gain);
            lastDuration = n;
            work.good();
        } catch (Exception | AssertionError e) {
            if (e instanceof io.quarkiverse.asr.spi.AsrException a) {
                throw a; // the duration limit, from the sink
            }
            work.bad(e);
            sink.silence(expected);
            lastDuration = expected;
        }
    }
}
