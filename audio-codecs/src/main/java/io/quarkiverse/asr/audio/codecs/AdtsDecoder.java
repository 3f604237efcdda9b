package io.quarkiverse.asr.audio.codecs;

import java.util.Arrays;

/** Raw AAC in ADTS framing (.aac files, and the audio of HLS segments), decoded by JAAD. */
public final class AdtsDecoder extends BaseDecoder {

    public AdtsDecoder() {
    }

    public AdtsDecoder(CodecLimits limits) {
        super(limits);
    }

    @Override
    String format() {
        return "AAC (ADTS)";
    }

    @Override
    public String formats() {
        return "AAC (ADTS)";
    }

    @Override
    public boolean accepts(byte[] head) {
        if (head == null || !looksLikeAdts(head, 0)) {
            return false;
        }
        int len = frameLength(head, 0);
        return !Bytes.has(head, len, 2) || looksLikeAdts(head, len);
    }

    @Override
    void decode(byte[] data, Work work) {
        decodeAdts(data, 0, data.length, work);
    }

    static boolean looksLikeAdts(byte[] b, int off) {
        if (!Bytes.has(b, off, 7)) {
            return false;
        }
        int h = Bytes.u16be(b, off);
        return (h & 0xfff6) == 0xfff0 // sync, layer 0
                && ((Bytes.u8(b, off + 2) >>> 2) & 15) < 13 // sampling frequency index
                && frameLength(b, off) >= 7 + ((h & 1) == 0 ? 2 : 0);
    }

    private static int frameLength(byte[] b, int off) {
        return ((Bytes.u8(b, off + 3) & 3) << 11) | (Bytes.u8(b, off + 4) << 3) | (Bytes.u8(b, off + 5) >>> 5);
    }

    static void decodeAdts(byte[] data, int start, int end, Work work) {
        PcmSink sink = new PcmSink(work);
        AacCodec codec = null;
        int config = -1;
        int pos = start;
        boolean lostSync = false;
        while (pos + 7 <= end) {
            work.check();
            if (!looksLikeAdts(data, pos)) {
                if (!lostSync) {
                    work.bad("lost ADTS sync");
                    lostSync = true;
                }
                pos++;
                continue;
            }
            lostSync = false;
            int len = frameLength(data, pos);
            if (pos + len > end) {
                break; // truncated last frame
            }
            boolean crc = (Bytes.u8(data, pos + 1) & 1) == 0;
            int profile = Bytes.u8(data, pos + 2) >>> 6;
            int rateIndex = (Bytes.u8(data, pos + 2) >>> 2) & 15;
            int channels = ((Bytes.u8(data, pos + 2) & 1) << 2) | (Bytes.u8(data, pos + 3) >>> 6);
            int blocks = Bytes.u8(data, pos + 6) & 3;
            int thisConfig = (profile << 8) | (rateIndex << 4) | channels;
            if (codec == null) {
                if (channels == 0) {
                    throw work.fail("ADTS with a program config element (channel configuration 0) is not supported");
                }
                codec = new AacCodec(AacCodec.asc(profile + 1, rateIndex, channels), work);
                config = thisConfig;
            }
            if (thisConfig != config || blocks != 0) {
                work.bad(blocks != 0 ? "ADTS frame with several raw data blocks" : "ADTS configuration changes");
                sink.silence(1024 * (blocks + 1));
            } else {
                int header = crc ? 9 : 7;
                codec.decode(Arrays.copyOfRange(data, pos + header, pos + len), sink, work);
            }
            pos += len;
        }
        sink.finish();
    }
}
