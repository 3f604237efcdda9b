package io.quarkiverse.asr.audio.codecs;

import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.Obuffer;

import io.quarkiverse.asr.spi.audio.AudioMemoryBudget;
import io.quarkiverse.asr.spi.audio.PcmOutput;

/** MPEG audio frames to PCM through JLayer. */
final class MpegAudio {

    /** Samples of delay in the decoder's synthesis filter bank, to add to the encoder delay (as reference decoders do). */
    private static final int DECODER_DELAY = 529;
    /** JLayer's output scale. */
    private static final float SCALE = 1f / 32700f;

    static {
        // JLayer fills some static tables lazily without synchronisation (LayerIIIDecoder.reorder_table,
        // SynthesisFilter.d16, huffcodetab.ht), which races when two first decodes run at once. Decoding a
        // frame here, inside class initialisation, fills them before any other thread can use JLayer.
        warmUp();
    }

    private MpegAudio() {
    }

    static void decode(byte[] data, int start, int end, Work work) {
        int first = firstFrame(data, start, end, work);
        if (first < 0) {
            throw work.fail("no MPEG audio frame found");
        }
        MpegHeader h = MpegHeader.parse(data, first);
        long skip = 0;
        long keep = -1;
        int xing = first + h.sideInfoEnd();
        if (h.layer() == 3 && (Bytes.ascii(data, xing, "Xing") || Bytes.ascii(data, xing, "Info"))) {
            // a frame of silence carrying the VBR header, and maybe LAME's gapless info
            int p = xing + 4;
            int flags = Bytes.has(data, p, 4) ? (int) Bytes.u32be(data, p) : 0;
            p += 4;
            long frames = -1;
            if ((flags & 1) != 0 && Bytes.has(data, p, 4)) {
                frames = Bytes.u32be(data, p);
                p += 4;
            }
            if ((flags & 2) != 0) {
                p += 4;
            }
            if ((flags & 4) != 0) {
                p += 100;
            }
            if ((flags & 8) != 0) {
                p += 4;
            }
            if (Bytes.has(data, p, 24) && first + h.frameLength() >= p + 24 && isEncoderTag(data, p)) {
                int delay = (Bytes.u8(data, p + 21) << 4) | (Bytes.u8(data, p + 22) >>> 4);
                int padding = ((Bytes.u8(data, p + 22) & 0x0f) << 8) | Bytes.u8(data, p + 23);
                skip = delay + DECODER_DELAY;
                if (frames > 0) {
                    keep = frames * h.samples() - delay - padding;
                }
            }
            first += h.frameLength();
        } else if (Bytes.ascii(data, first + 36, "VBRI")) {
            first += h.frameLength();
        }
        if (first >= end) {
            throw work.fail("no audio frames after the VBR header");
        }
        PcmSink sink = new PcmSink(work, h.sampleRate());
        sink.trim(skip, -1);
        Capture out = new Capture(sink);
        Bitstream bits = new Bitstream(new GuardedInputStream(data, first, end - first, work));
        Decoder decoder = new Decoder();
        decoder.setOutputBuffer(out);
        while (true) {
            work.check();
            Header frame;
            try {
                frame = bits.readFrame();
            } catch (BitstreamException e) {
                work.bad(e);
                break; // the stream cannot be followed further
            }
            if (frame == null) {
                break;
            }
            try {
                if (frame.frequency() != h.sampleRate()) {
                    throw new IllegalStateException("sample rate changes to " + frame.frequency());
                }
                decoder.decodeFrame(frame, bits);
                work.good();
            } catch (Exception | AssertionError e) {
                if (e instanceof io.quarkiverse.asr.spi.AsrException a) {
                    throw a; // the duration limit, from the sink
                }
                work.bad(e);
                sink.silence(h.samples());
            } finally {
                bits.closeFrame();
            }
        }
        long padding = 0;
        if (keep >= 0) {
            // the end padding trims at most the last frames; a frame count that disagrees more is not trusted
            long excess = sink.size() - skip - keep;
            if (excess >= 0 && excess <= 2L * h.samples() + 4096) {
                padding = excess;
            }
        }
        sink.finish(padding);
    }

    private static boolean isEncoderTag(byte[] b, int p) {
        for (int i = 0; i < 4; i++) {
            int c = Bytes.u8(b, p + i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first offset in {@code [start, end)} holding a frame header that is followed by another one of the
     * same stream (or by the end of the data), or -1.
     */
    static int firstFrame(byte[] data, int start, int end, Work work) {
        for (int p = start; p + 4 <= end; p++) {
            if ((p & 0xffff) == 0) {
                work.check();
            }
            if (data[p] != (byte) 0xff) {
                continue;
            }
            MpegHeader h = MpegHeader.parse(data, p);
            if (h == null) {
                continue;
            }
            int next = p + h.frameLength();
            if (next == end || next + 4 > end) {
                return next <= end ? p : -1;
            }
            MpegHeader n = MpegHeader.parse(data, next);
            if (n != null && n.key() == h.key()) {
                return p;
            }
        }
        return -1;
    }

    /** JLayer's output for one frame, averaged to mono into the sink. */
    private static final class Capture extends Obuffer {
        private final PcmSink sink;
        private final float[][] channels = new float[2][1152];
        private final int[] count = new int[2];

        Capture(PcmSink sink) {
            this.sink = sink;
        }

        @Override
        public void append(int channel, short value) {
            add(channel, value);
        }

        @Override
        public void appendSamples(int channel, float[] f) {
            for (float v : f) {
                add(channel, v);
            }
        }

        private void add(int channel, float v) {
            if (channel < 2 && count[channel] < 1152) {
                channels[channel][count[channel]++] = v;
            }
        }

        @Override
        public void write_buffer(int val) {
            int n = Math.max(count[0], count[1]);
            if (count[1] == 0) {
                sink.planar(channels, null, 1, count[0], SCALE);
            } else {
                sink.planar(channels, null, 2, Math.min(count[0], count[1]), SCALE);
                if (count[0] != count[1]) {
                    sink.silence(n - Math.min(count[0], count[1]));
                }
            }
            clear_buffer();
        }

        @Override
        public void close() {
        }

        @Override
        public void clear_buffer() {
            count[0] = 0;
            count[1] = 0;
        }

        @Override
        public void set_stop_flag() {
        }
    }

    /** Decodes one silent MPEG-2 and one MPEG-1 layer III frame, built here, to initialise JLayer's tables. */
    private static void warmUp() {
        for (int header : new int[] { 0xfff36440, 0xfffb9064 }) { // 16 kHz 64 kbit/s mono; 44.1 kHz 128 kbit/s stereo
            byte[] b = new byte[4];
            b[0] = (byte) (header >>> 24);
            b[1] = (byte) (header >>> 16);
            b[2] = (byte) (header >>> 8);
            b[3] = (byte) header;
            MpegHeader h = MpegHeader.parse(b, 0);
            byte[] frames = new byte[h.frameLength() * 2];
            for (int f = 0; f < 2; f++) {
                System.arraycopy(b, 0, frames, f * h.frameLength(), 4);
            }
            try {
                Bitstream bits = new Bitstream(new java.io.ByteArrayInputStream(frames));
                Decoder decoder = new Decoder();
                // an output of its own: the global budget would keep this decode's reservation forever
                PcmOutput out = new PcmOutput(0, () -> false, new AudioMemoryBudget(1 << 20), "MP3 warm-up");
                decoder.setOutputBuffer(new Capture(new PcmSink(new Work("MP3", CodecLimits.defaults(), out), h.sampleRate())));
                Header frame;
                while ((frame = bits.readFrame()) != null) {
                    decoder.decodeFrame(frame, bits);
                    bits.closeFrame();
                }
            } catch (Exception e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
