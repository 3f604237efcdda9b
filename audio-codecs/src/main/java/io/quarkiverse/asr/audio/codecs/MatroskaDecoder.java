package io.quarkiverse.asr.audio.codecs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * WebM and Matroska (.webm, .mka, .mkv) with an Opus, Vorbis, AAC, MP3 or FLAC audio track, including the
 * live-recorded files of browsers' MediaRecorder (unknown-size segment and clusters, no cues). The first audio
 * track is decoded. Opus pre-skip and DiscardPadding trim the encoder delay and padding.
 */
public final class MatroskaDecoder extends BaseDecoder {

    private static final int EBML = 0x1A45DFA3;
    private static final int DOC_TYPE = 0x4282;
    private static final int SEGMENT = 0x18538067;
    private static final int CLUSTER = 0x1F43B675;
    private static final int TRACKS = 0x1654AE6B;
    private static final int TRACK_ENTRY = 0xAE;
    private static final int TRACK_NUMBER = 0xD7;
    private static final int TRACK_TYPE = 0x83;
    private static final int CODEC_ID = 0x86;
    private static final int CODEC_PRIVATE = 0x63A2;
    private static final int AUDIO = 0xE1;
    private static final int SAMPLING_FREQUENCY = 0xB5;
    private static final int CHANNELS = 0x9F;
    private static final int CONTENT_ENCODINGS = 0x6D80;
    private static final int CONTENT_ENCODING = 0x6240;
    private static final int CONTENT_COMPRESSION = 0x5034;
    private static final int CONTENT_COMP_ALGO = 0x4254;
    private static final int CONTENT_COMP_SETTINGS = 0x4255;
    private static final int CONTENT_ENCRYPTION = 0x5035;
    private static final int SIMPLE_BLOCK = 0xA3;
    private static final int BLOCK_GROUP = 0xA0;
    private static final int BLOCK = 0xA1;
    private static final int DISCARD_PADDING = 0x75A2;
    /** Level-1 elements: one of these ends a cluster of unknown size. */
    private static final int[] SEGMENT_CHILDREN = { 0x114D9B74, 0x1549A966, TRACKS, CLUSTER, 0x1C53BB6B, 0x1941A469,
            0x1043A770, 0x1254C367, EBML, SEGMENT };
    private static final long UNKNOWN = -1;

    public MatroskaDecoder() {
    }

    public MatroskaDecoder(CodecLimits limits) {
        super(limits);
    }

    @Override
    String format() {
        return "WebM/Matroska";
    }

    @Override
    public String formats() {
        return "WebM/Matroska (Opus, Vorbis, AAC, MP3, FLAC)";
    }

    @Override
    public boolean accepts(byte[] head) {
        return head != null && Bytes.has(head, 0, 4) && (int) Bytes.u32be(head, 0) == EBML;
    }

    /** An element header: id, payload start, payload size ({@link #UNKNOWN} for unknown size). */
    private record Element(int id, int start, long size) {
        int end(int limit) {
            return size == UNKNOWN || start + size > limit ? limit : (int) (start + size);
        }
    }

    /** Reads the element header at {@code p}, or returns null if it does not fit before {@code limit}. */
    private static Element element(byte[] d, int p, int limit) {
        if (p >= limit) {
            return null;
        }
        int first = Bytes.u8(d, p);
        int idLen = Integer.numberOfLeadingZeros(first) - 23;
        if (idLen < 1 || idLen > 4 || p + idLen > limit) {
            return null;
        }
        int id = 0;
        for (int i = 0; i < idLen; i++) {
            id = (id << 8) | Bytes.u8(d, p + i);
        }
        p += idLen;
        if (p >= limit) {
            return null;
        }
        first = Bytes.u8(d, p);
        int sizeLen = Integer.numberOfLeadingZeros(first) - 23;
        if (sizeLen < 1 || sizeLen > 8 || p + sizeLen > limit) {
            return null;
        }
        long size = first & (0xff >>> sizeLen);
        boolean allOnes = size == (0xff >>> sizeLen);
        for (int i = 1; i < sizeLen; i++) {
            int b = Bytes.u8(d, p + i);
            allOnes &= b == 0xff;
            size = (size << 8) | b;
        }
        return new Element(id, p + sizeLen, allOnes ? UNKNOWN : size);
    }

    private static long uint(byte[] d, Element e, int limit) {
        long v = 0;
        for (int i = 0; i < Math.min(e.size, 8) && e.start + i < limit; i++) {
            v = (v << 8) | Bytes.u8(d, e.start + i);
        }
        return v;
    }

    private static long sint(byte[] d, Element e, int limit) {
        if (e.size <= 0 || e.size > 8 || e.start + e.size > limit) {
            return 0;
        }
        long v = d[e.start];
        for (int i = 1; i < e.size; i++) {
            v = (v << 8) | Bytes.u8(d, e.start + i);
        }
        return v;
    }

    private static double flt(byte[] d, Element e, int limit) {
        if (e.size == 4 && e.start + 4 <= limit) {
            return Float.intBitsToFloat((int) Bytes.u32be(d, e.start));
        }
        if (e.size == 8 && e.start + 8 <= limit) {
            return Double.longBitsToDouble(Bytes.u64be(d, e.start));
        }
        return 0;
    }

    private static final class Track {
        long number = -1;
        long type;
        String codecId = "";
        byte[] codecPrivate;
        double rate;
        int channels = 1;
        byte[] stripped; // header-stripping compression
        String unsupported;
    }

    /** The audio decoding state of the chosen track. */
    private static final class Audio {
        Track track;
        PcmSink sink;
        OpusCodec opus;
        OpusCodec.Head opusHead;
        VorbisCodec vorbis;
        AacCodec aac;
        ByteArrayOutputStream stream; // MP3 and FLAC frames, decoded as one stream
        long discard; // DiscardPadding of the last block, in output samples
    }

    @Override
    void decode(byte[] d, Work work) {
        int n = d.length;
        Element ebml = element(d, 0, n);
        if (ebml == null || ebml.id != EBML) {
            throw work.fail("no EBML header");
        }
        int ebmlEnd = ebml.end(n);
        String docType = "matroska";
        for (int p = ebml.start; p < ebmlEnd;) {
            Element e = element(d, p, ebmlEnd);
            if (e == null || e.size == UNKNOWN) {
                break;
            }
            if (e.id == DOC_TYPE) {
                docType = new String(d, e.start, (int) Math.min(e.size, ebmlEnd - e.start), StandardCharsets.US_ASCII).trim();
            }
            p = e.end(ebmlEnd);
        }
        if (!docType.startsWith("webm") && !docType.startsWith("matroska")) {
            throw work.fail("EBML document type '" + docType + "' is not WebM or Matroska");
        }
        Element segment = element(d, ebmlEnd, n);
        if (segment == null || segment.id != SEGMENT) {
            throw work.fail("no Segment after the EBML header");
        }
        int segEnd = segment.end(n);
        Audio audio = new Audio();
        List<String> found = new ArrayList<>();
        int p = segment.start;
        while (p < segEnd) {
            work.check();
            Element e = element(d, p, segEnd);
            if (e == null) {
                break;
            }
            if (e.id == TRACKS) {
                if (audio.track == null) {
                    chooseTrack(d, e, segEnd, audio, found, work);
                }
                p = e.end(segEnd);
            } else if (e.id == CLUSTER) {
                p = cluster(d, e, segEnd, audio, work);
            } else if (e.size == UNKNOWN) {
                break; // only clusters may have an unknown size here
            } else {
                p = e.end(segEnd);
            }
        }
        if (audio.track == null) {
            throw work.fail(found.isEmpty() ? "no audio track" : "no supported audio track (found: " + String.join(", ", found) + ")");
        }
        if (audio.stream != null) {
            byte[] frames = audio.stream.toByteArray();
            if (audio.track.codecId.equals("A_FLAC")) {
                FlacDecoder.decodeFlac(frames, 0, frames.length, work);
                return;
            }
            MpegAudio.decode(frames, 0, frames.length, work);
            return;
        }
        if (audio.sink == null || !audio.sink.hasRate()) {
            work.checkErrors();
            throw work.fail("no audio decoded");
        }
        audio.sink.finish(audio.discard);
    }

    /** Picks the first audio track with a supported codec and prepares its decoder. */
    private static void chooseTrack(byte[] d, Element tracks, int limit, Audio audio, List<String> found, Work work) {
        int end = tracks.end(limit);
        for (int p = tracks.start; p < end;) {
            Element e = element(d, p, end);
            if (e == null || e.size == UNKNOWN) {
                break;
            }
            p = e.end(end);
            if (e.id != TRACK_ENTRY) {
                continue;
            }
            Track t = track(d, e, end, work);
            if (t.type != 2) {
                continue;
            }
            if (t.unsupported == null) {
                try {
                    prepare(t, audio, work);
                    audio.track = t;
                    return;
                } catch (io.quarkiverse.asr.spi.UnsupportedAudioException ex) {
                    t.unsupported = t.codecId + " (" + ex.getMessage() + ")";
                }
            }
            found.add(t.unsupported);
        }
    }

    private static Track track(byte[] d, Element entry, int limit, Work work) {
        Track t = new Track();
        int end = entry.end(limit);
        for (int p = entry.start; p < end;) {
            Element e = element(d, p, end);
            if (e == null || e.size == UNKNOWN) {
                break;
            }
            int eEnd = e.end(end);
            switch (e.id) {
                case TRACK_NUMBER -> t.number = uint(d, e, end);
                case TRACK_TYPE -> t.type = uint(d, e, end);
                case CODEC_ID -> t.codecId = new String(d, e.start, eEnd - e.start, StandardCharsets.US_ASCII).trim();
                case CODEC_PRIVATE -> t.codecPrivate = java.util.Arrays.copyOfRange(d, e.start, eEnd);
                case AUDIO -> {
                    for (int q = e.start; q < eEnd;) {
                        Element a = element(d, q, eEnd);
                        if (a == null || a.size == UNKNOWN) {
                            break;
                        }
                        if (a.id == SAMPLING_FREQUENCY) {
                            t.rate = flt(d, a, eEnd);
                        } else if (a.id == CHANNELS) {
                            t.channels = (int) Math.min(uint(d, a, eEnd), 255);
                        }
                        q = a.end(eEnd);
                    }
                }
                case CONTENT_ENCODINGS -> contentEncodings(d, e, eEnd, t);
                default -> {
                }
            }
            p = eEnd;
        }
        return t;
    }

    /** Header stripping (compression algorithm 3) is supported; zlib, bzip2, LZO and encryption are not. */
    private static void contentEncodings(byte[] d, Element encodings, int limit, Track t) {
        for (int p = encodings.start; p < limit;) {
            Element enc = element(d, p, limit);
            if (enc == null || enc.size == UNKNOWN) {
                break;
            }
            int encEnd = enc.end(limit);
            if (enc.id == CONTENT_ENCODING) {
                for (int q = enc.start; q < encEnd;) {
                    Element c = element(d, q, encEnd);
                    if (c == null || c.size == UNKNOWN) {
                        break;
                    }
                    int cEnd = c.end(encEnd);
                    if (c.id == CONTENT_ENCRYPTION) {
                        t.unsupported = "encrypted track";
                    } else if (c.id == CONTENT_COMPRESSION) {
                        long algo = 0;
                        byte[] settings = new byte[0];
                        for (int r = c.start; r < cEnd;) {
                            Element s = element(d, r, cEnd);
                            if (s == null || s.size == UNKNOWN) {
                                break;
                            }
                            if (s.id == CONTENT_COMP_ALGO) {
                                algo = uint(d, s, cEnd);
                            } else if (s.id == CONTENT_COMP_SETTINGS) {
                                settings = java.util.Arrays.copyOfRange(d, s.start, s.end(cEnd));
                            }
                            r = s.end(cEnd);
                        }
                        if (algo == 3) {
                            t.stripped = settings;
                        } else {
                            t.unsupported = "compressed track (ContentCompAlgo " + algo + ")";
                        }
                    }
                    q = cEnd;
                }
            }
            p = encEnd;
        }
    }

    private static void prepare(Track t, Audio audio, Work work) {
        byte[] cp = t.codecPrivate;
        switch (t.codecId) {
            case "A_OPUS" -> {
                if (cp == null) {
                    throw work.fail("Opus track without OpusHead");
                }
                audio.opusHead = OpusCodec.parseOpusHead(cp, 0, cp.length, work);
                try {
                    audio.opus = new OpusCodec(audio.opusHead);
                } catch (Exception e) {
                    throw work.fail("unsupported Opus configuration (" + Work.describe(e) + ")");
                }
                audio.sink = new PcmSink(work, audio.opus.rate());
                audio.sink.trim(audio.opusHead.toOutput(audio.opusHead.preSkip()), -1);
            }
            case "A_VORBIS" -> {
                if (cp == null || cp.length < 3 || Bytes.u8(cp, 0) != 2) {
                    throw work.fail("Vorbis track without headers");
                }
                // Xiph lacing: count - 1, then the sizes of the first two headers
                int p = 1;
                int[] sizes = new int[2];
                for (int i = 0; i < 2; i++) {
                    int v;
                    do {
                        if (p >= cp.length) {
                            throw work.fail("truncated Vorbis headers");
                        }
                        v = Bytes.u8(cp, p++);
                        sizes[i] += v;
                    } while (v == 255);
                }
                if ((long) p + sizes[0] + sizes[1] > cp.length) {
                    throw work.fail("truncated Vorbis headers");
                }
                audio.vorbis = new VorbisCodec();
                audio.vorbis.header(cp, p, sizes[0], work);
                audio.vorbis.header(cp, p + sizes[0], sizes[1], work);
                int third = p + sizes[0] + sizes[1];
                audio.vorbis.header(cp, third, cp.length - third, work);
                audio.sink = new PcmSink(work, audio.vorbis.rate());
            }
            case "A_AAC", "A_AAC/MPEG4/LC", "A_AAC/MPEG2/LC", "A_AAC/MPEG4/MAIN", "A_AAC/MPEG2/MAIN" -> {
                byte[] asc = cp;
                if (asc == null || asc.length < 2) {
                    int index = AacCodec.rateIndex((int) t.rate);
                    if (index < 0 || t.channels < 1 || t.channels > 7) {
                        throw work.fail("AAC track without decoder configuration");
                    }
                    asc = AacCodec.asc(t.codecId.contains("MAIN") ? 1 : 2, index, t.channels);
                }
                audio.aac = new AacCodec(asc, work);
                audio.sink = new PcmSink(work);
            }
            case "A_MPEG/L3", "A_MPEG/L2", "A_MPEG/L1" -> audio.stream = new ByteArrayOutputStream();
            case "A_FLAC" -> {
                if (cp == null || !Bytes.ascii(cp, 0, "fLaC")) {
                    throw work.fail("FLAC track without stream header");
                }
                audio.stream = new ByteArrayOutputStream();
                audio.stream.writeBytes(cp);
            }
            default -> throw work.fail("codec " + t.codecId + " is not supported");
        }
    }

    /** Decodes the blocks of one cluster for the chosen track; returns where the next element starts. */
    private static int cluster(byte[] d, Element cluster, int limit, Audio audio, Work work) {
        int end = cluster.end(limit);
        int p = cluster.start;
        while (p < end) {
            work.check();
            Element e = element(d, p, end);
            if (e == null) {
                return end;
            }
            if (cluster.size == UNKNOWN && isSegmentChild(e.id)) {
                return p; // the next cluster (or cues, tags...) ends a cluster of unknown size
            }
            if (e.size == UNKNOWN) {
                return end; // no element inside a cluster may have an unknown size
            }
            int eEnd = e.end(end);
            if (e.id == SIMPLE_BLOCK) {
                block(d, e.start, eEnd, audio, 0, work);
            } else if (e.id == BLOCK_GROUP) {
                int blockStart = -1;
                int blockEnd = -1;
                long discardNs = 0;
                for (int q = e.start; q < eEnd;) {
                    Element g = element(d, q, eEnd);
                    if (g == null || g.size == UNKNOWN) {
                        break;
                    }
                    if (g.id == BLOCK) {
                        blockStart = g.start;
                        blockEnd = g.end(eEnd);
                    } else if (g.id == DISCARD_PADDING) {
                        discardNs = sint(d, g, eEnd);
                    }
                    q = g.end(eEnd);
                }
                if (blockStart >= 0) {
                    block(d, blockStart, blockEnd, audio, discardNs, work);
                }
            }
            p = eEnd;
        }
        return end;
    }

    private static boolean isSegmentChild(int id) {
        for (int c : SEGMENT_CHILDREN) {
            if (c == id) {
                return true;
            }
        }
        return false;
    }

    /** One (Simple)Block: track number, timecode, flags, then one frame or several laced ones. */
    private static void block(byte[] d, int start, int end, Audio audio, long discardNs, Work work) {
        if (audio.track == null || start >= end) {
            return;
        }
        int first = Bytes.u8(d, start);
        int len = Integer.numberOfLeadingZeros(first) - 23;
        if (len < 1 || len > 8 || start + len + 3 > end) {
            work.bad("invalid block header");
            return;
        }
        long number = first & (0xff >>> len);
        for (int i = 1; i < len; i++) {
            number = (number << 8) | Bytes.u8(d, start + i);
        }
        if (number != audio.track.number) {
            return;
        }
        int flags = Bytes.u8(d, start + len + 2);
        int p = start + len + 3;
        int lacing = (flags >>> 1) & 3;
        if (lacing == 0) {
            frame(d, p, end - p, audio, work);
        } else {
            if (p >= end) {
                work.bad("truncated laced block");
                return;
            }
            int count = Bytes.u8(d, p++) + 1;
            int[] sizes = new int[count];
            long known = 0;
            if (lacing == 1) { // Xiph
                for (int i = 0; i < count - 1; i++) {
                    int v;
                    do {
                        if (p >= end) {
                            work.bad("truncated lacing");
                            return;
                        }
                        v = Bytes.u8(d, p++);
                        sizes[i] += v;
                    } while (v == 255);
                    known += sizes[i];
                }
            } else if (lacing == 3) { // EBML
                long[] v = new long[1];
                p = vint(d, p, end, v);
                if (p < 0) {
                    work.bad("truncated lacing");
                    return;
                }
                sizes[0] = (int) Math.min(v[0], Integer.MAX_VALUE);
                known = sizes[0];
                for (int i = 1; i < count - 1; i++) {
                    int q = p;
                    p = vint(d, p, end, v);
                    if (p < 0) {
                        work.bad("truncated lacing");
                        return;
                    }
                    long bias = (1L << (7 * (p - q) - 1)) - 1; // signed: subtract half the range
                    long size = sizes[i - 1] + (v[0] - bias);
                    if (size < 0 || size > end) {
                        work.bad("invalid lacing");
                        return;
                    }
                    sizes[i] = (int) size;
                    known += size;
                }
            } else { // fixed
                int each = (end - p) / count;
                for (int i = 0; i < count - 1; i++) {
                    sizes[i] = each;
                    known += each;
                }
            }
            long last = end - p - known;
            if (last < 0) {
                work.bad("invalid lacing");
                return;
            }
            sizes[count - 1] = (int) last;
            for (int size : sizes) {
                frame(d, p, size, audio, work);
                p += size;
            }
        }
        if (discardNs > 0 && audio.sink != null && audio.sink.hasRate()) {
            audio.discard = Math.min(discardNs * audio.sink.sampleRate() / 1_000_000_000L, audio.sink.sampleRate() / 1000 * 120);
        } else {
            audio.discard = 0;
        }
    }

    private static int vint(byte[] d, int p, int end, long[] out) {
        if (p >= end) {
            return -1;
        }
        int first = Bytes.u8(d, p);
        int len = Integer.numberOfLeadingZeros(first) - 23;
        if (len < 1 || len > 8 || p + len > end) {
            return -1;
        }
        long v = first & (0xff >>> len);
        for (int i = 1; i < len; i++) {
            v = (v << 8) | Bytes.u8(d, p + i);
        }
        out[0] = v;
        return p + len;
    }

    private static void frame(byte[] d, int off, int len, Audio audio, Work work) {
        byte[] stripped = audio.track.stripped;
        byte[] buf = d;
        if (stripped != null && stripped.length > 0) {
            buf = new byte[stripped.length + len];
            System.arraycopy(stripped, 0, buf, 0, stripped.length);
            System.arraycopy(d, off, buf, stripped.length, len);
            off = 0;
            len = buf.length;
        }
        if (audio.opus != null) {
            audio.opus.decode(buf, off, len, audio.sink, work);
        } else if (audio.vorbis != null) {
            audio.vorbis.decode(buf, off, len, audio.sink, work);
        } else if (audio.aac != null) {
            audio.aac.decode(java.util.Arrays.copyOfRange(buf, off, off + len), audio.sink, work);
        } else if (audio.stream != null) {
            if (audio.stream.size() + (long) len > 2L * d.length + 1024) {
                throw work.fail("more frame data than the file holds (corrupt lacing)");
            }
            audio.stream.write(buf, off, len);
        }
    }
}
