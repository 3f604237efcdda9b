package io.quarkiverse.asr.audio.codecs;

/**
 * MPEG audio (MP3, and MP2/MP1), with or without ID3 tags, decoded by JLayer. Honours the LAME/Info
 * gapless header (encoder delay and padding) like reference decoders. Data that starts with an ID3 tag but
 * holds FLAC or ADTS AAC is passed on to those decoders.
 */
public final class Mp3Decoder extends BaseDecoder {

    public Mp3Decoder() {
    }

    public Mp3Decoder(CodecLimits limits) {
        super(limits);
    }

    @Override
    String format() {
        return "MP3";
    }

    @Override
    public String formats() {
        return "MP3";
    }

    @Override
    public boolean accepts(byte[] head) {
        if (head == null) {
            return false;
        }
        if (Bytes.id3v2Length(head, 0) > 0) {
            return true;
        }
        MpegHeader h = MpegHeader.parse(head, 0);
        if (h == null) {
            return false;
        }
        // a second header right after the first one, when the head reaches that far
        MpegHeader next = MpegHeader.parse(head, h.frameLength());
        return next == null ? !Bytes.has(head, h.frameLength(), 4) : next.key() == h.key();
    }

    @Override
    void decode(byte[] data, Work work) {
        int off = 0;
        int tag;
        while ((tag = Bytes.id3v2Length(data, off)) > 0) {
            off += tag;
            work.check();
        }
        if (off >= data.length) {
            throw work.fail("only an ID3 tag, no audio");
        }
        int end = data.length;
        if (end - off >= 128 && Bytes.ascii(data, end - 128, "TAG")) {
            end -= 128; // ID3v1
        }
        if (end - off >= 32 && Bytes.ascii(data, end - 32, "APETAGEX")) {
            long size = Bytes.u32le(data, end - 32 + 12);
            boolean header = (Bytes.u8(data, end - 32 + 23) & 0x80) != 0;
            long total = size + (header ? 32 : 0);
            if (total <= end - off) {
                end -= (int) total;
            }
        }
        if (Bytes.ascii(data, off, "fLaC")) {
            FlacDecoder.decodeFlac(data, off, end, work);
            return;
        }
        if (AdtsDecoder.looksLikeAdts(data, off)) {
            AdtsDecoder.decodeAdts(data, off, end, work);
            return;
        }
        MpegAudio.decode(data, off, end, work);
    }
}
