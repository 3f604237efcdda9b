package io.quarkiverse.asr.audio.codecs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ogg streams carrying Opus (.ogg, .opus, .oga) or Vorbis. The first Opus or Vorbis logical stream is
 * decoded; other streams (Skeleton, video, a second track) are ignored. Pages failing their CRC are dropped
 * and the demuxer resynchronises, as libogg does; truncated files decode up to the last complete page.
 */
public final class OggDecoder extends BaseDecoder {

    public OggDecoder() {
    }

    public OggDecoder(CodecLimits limits) {
        super(limits);
    }

    @Override
    String format() {
        return "Ogg";
    }

    @Override
    public String formats() {
        return "Ogg Opus/Vorbis";
    }

    @Override
    public boolean accepts(byte[] head) {
        return head != null && Bytes.ascii(head, 0, "OggS") && (!Bytes.has(head, 4, 1) || head[4] == 0);
    }

    /** One packet: a view into the data, or a copy when it spans pages. */
    private record Packet(byte[] data, int off, int len) {
    }

    /** The packets of one logical stream and the last granule position seen. */
    private static final class Stream {
        final List<Packet> packets = new ArrayList<>();
        byte[] partial;
        int partialLen;
        long lastGranule = -1;
        boolean open = true;
    }

    @Override
    void decode(byte[] data, Work work) {
        Map<Long, Stream> streams = demux(data, work);
        List<String> seen = new ArrayList<>();
        for (Stream s : streams.values()) {
            if (s.packets.isEmpty()) {
                continue;
            }
            Packet first = s.packets.get(0);
            if (Bytes.ascii(first.data, first.off, "OpusHead")) {
                decodeOpus(s, work);
                return;
            }
            if (first.len >= 7 && first.data[first.off] == 1 && Bytes.ascii(first.data, first.off + 1, "vorbis")) {
                decodeVorbis(s, work);
                return;
            }
            seen.add(codecName(first));
        }
        throw work.fail(seen.isEmpty() ? "no Ogg pages found" : "no Opus or Vorbis stream (found: " + String.join(", ", seen) + ")");
    }

    private static String codecName(Packet p) {
        if (Bytes.ascii(p.data, p.off, "\u007fFLAC")) {
            return "FLAC (Ogg FLAC is not supported; use native FLAC)";
        }
        if (Bytes.ascii(p.data, p.off, "Speex   ")) {
            return "Speex (not supported)";
        }
        if (Bytes.ascii(p.data, p.off, "fishead")) {
            return "Skeleton";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, p.len); i++) {
            int c = Bytes.u8(p.data, p.off + i);
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return "'" + sb + "'";
    }

    private static void decodeOpus(Stream s, Work work) {
        Packet h = s.packets.get(0);
        OpusCodec.Head head = OpusCodec.parseOpusHead(h.data, h.off, h.len, work);
        if (s.packets.size() < 2 || !Bytes.ascii(s.packets.get(1).data, s.packets.get(1).off, "OpusTags")) {
            throw work.fail("missing OpusTags header");
        }
        OpusCodec codec;
        try {
            codec = new OpusCodec(head);
        } catch (Exception e) {
            throw work.fail("unsupported Opus configuration (" + Work.describe(e) + ")");
        }
        PcmSink sink = new PcmSink(work, codec.rate());
        long skip = head.toOutput(head.preSkip());
        sink.trim(skip, -1);
        for (int i = 2; i < s.packets.size(); i++) {
            work.check();
            Packet p = s.packets.get(i);
            codec.decode(p.data, p.off, p.len, sink, work);
        }
        long padding = 0;
        if (s.lastGranule >= head.preSkip()) {
            long total = head.toOutput(s.lastGranule - head.preSkip());
            long excess = sink.size() - skip - total;
            // end trimming removes the padding of the last packet (at most 120 ms); anything else is not trusted
            if (excess >= 0 && excess <= codec.rate() / 1000 * 120) {
                padding = excess;
            }
        }
        sink.finish(padding);
    }

    private static void decodeVorbis(Stream s, Work work) {
        VorbisCodec codec = new VorbisCodec();
        if (s.packets.size() < 3) {
            throw work.fail("missing Vorbis headers");
        }
        for (int i = 0; i < 3; i++) {
            Packet p = s.packets.get(i);
            codec.header(p.data, p.off, p.len, work);
        }
        PcmSink sink = new PcmSink(work, codec.rate());
        for (int i = 3; i < s.packets.size(); i++) {
            work.check();
            Packet p = s.packets.get(i);
            codec.decode(p.data, p.off, p.len, sink, work);
        }
        long padding = 0;
        if (s.lastGranule >= 0) {
            long excess = sink.size() - s.lastGranule;
            if (excess >= 0 && excess <= 8192) {
                padding = excess;
            }
        }
        sink.finish(padding);
    }

    /** Splits the data into logical streams of packets, checking page CRCs. */
    private static Map<Long, Stream> demux(byte[] data, Work work) {
        Map<Long, Stream> streams = new LinkedHashMap<>();
        int pos = 0;
        int n = data.length;
        while (pos + 27 <= n) {
            work.check();
            if (!Bytes.ascii(data, pos, "OggS") || data[pos + 4] != 0) {
                pos = resync(data, pos + 1);
                continue;
            }
            int flags = Bytes.u8(data, pos + 5);
            long granule = Bytes.i64le(data, pos + 6);
            long serial = Bytes.u32le(data, pos + 14);
            int segments = Bytes.u8(data, pos + 26);
            int headerLen = 27 + segments;
            if (pos + headerLen > n) {
                break; // truncated
            }
            int bodyLen = 0;
            for (int i = 0; i < segments; i++) {
                bodyLen += Bytes.u8(data, pos + 27 + i);
            }
            int pageEnd = pos + headerLen + bodyLen;
            if (pageEnd > n) {
                break; // truncated: a partial page cannot be trusted
            }
            if (crc(data, pos, pageEnd) != Bytes.u32le(data, pos + 22)) {
                Stream s = streams.get(serial);
                if (s != null) {
                    s.partial = null; // data lost: drop the packet in progress
                }
                pos = resync(data, pos + 1);
                continue;
            }
            Stream s = streams.get(serial);
            if (s == null) {
                if ((flags & 2) == 0 && !streams.isEmpty()) {
                    pos = pageEnd; // a page of a stream whose start we never saw
                    continue;
                }
                if (streams.size() >= 64) {
                    throw work.fail("too many logical streams");
                }
                s = new Stream();
                streams.put(serial, s);
            }
            if (!s.open) {
                pos = pageEnd;
                continue;
            }
            if ((flags & 1) == 0) {
                s.partial = null; // not a continuation: any packet in progress was lost
            }
            // a continuation of a packet whose beginning was lost is dropped
            boolean dropFirst = (flags & 1) != 0 && s.partial == null;
            int body = pos + headerLen;
            int start = body;
            boolean completed = false;
            for (int i = 0; i < segments; i++) {
                int lace = Bytes.u8(data, pos + 27 + i);
                body += lace;
                if (lace < 255) {
                    if (dropFirst) {
                        dropFirst = false;
                    } else if (s.partial != null) {
                        append(s, data, start, body - start);
                        s.packets.add(new Packet(s.partial, 0, s.partialLen));
                        s.partial = null;
                    } else {
                        s.packets.add(new Packet(data, start, body - start));
                    }
                    completed = true;
                    start = body;
                }
            }
            if (start < body && !dropFirst) {
                append(s, data, start, body - start); // continues on the next page
            }
            if (completed && granule != -1) {
                s.lastGranule = granule;
            }
            if ((flags & 4) != 0) {
                s.open = false;
            }
            pos = pageEnd;
        }
        return streams;
    }

    private static void append(Stream s, byte[] data, int off, int len) {
        if (s.partial == null) {
            s.partial = new byte[Math.max(1024, len)];
            s.partialLen = 0;
        }
        if (s.partialLen + len > s.partial.length) {
            s.partial = java.util.Arrays.copyOf(s.partial, Math.max(s.partialLen + len, s.partial.length * 2));
        }
        System.arraycopy(data, off, s.partial, s.partialLen, len);
        s.partialLen += len;
    }

    private static int resync(byte[] data, int from) {
        for (int p = from; p + 4 <= data.length; p++) {
            if (data[p] == 'O' && Bytes.ascii(data, p, "OggS")) {
                return p;
            }
        }
        return data.length;
    }

    private static final int[] CRC = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int k = 0; k < 8; k++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
            }
            CRC[i] = r;
        }
    }

    /** The Ogg page checksum, computed with the checksum field taken as zero. */
    static long crc(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            int v = (i >= from + 22 && i < from + 26) ? 0 : b[i] & 0xff;
            crc = (crc << 8) ^ CRC[((crc >>> 24) ^ v) & 0xff];
        }
        return crc & 0xffffffffL;
    }
}
