package io.quarkiverse.asr.audio.codecs;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ISO base media files (.m4a, .mp4, .mov, also fragmented MP4 as written by browsers' MediaRecorder) with
 * an AAC, Opus or MP3 audio track. The first audio track is decoded; its edit list trims the encoder delay
 * (priming) and padding, as reference players do. The sample tables are read here; only the codec
 * libraries see the audio.
 */
public final class Mp4Decoder extends BaseDecoder {

    public Mp4Decoder() {
    }

    public Mp4Decoder(CodecLimits limits) {
        super(limits);
    }

    @Override
    String format() {
        return "MP4";
    }

    @Override
    public String formats() {
        return "M4A/MP4 (AAC, Opus, MP3)";
    }

    @Override
    public boolean accepts(byte[] head) {
        if (head == null || !Bytes.has(head, 0, 8)) {
            return false;
        }
        String type = Bytes.fourcc(head, 4);
        long size = Bytes.u32be(head, 0);
        return switch (type) {
            case "ftyp" -> size >= 8;
            case "moov", "free", "skip", "wide", "mdat" -> size >= 8 && startsLikeMp4(head);
            default -> false;
        };
    }

    private static boolean startsLikeMp4(byte[] head) {
        // a top-level box other than ftyp: accept when the next box (if within the head) has a known type too
        long size = Bytes.u32be(head, 0);
        if (!Bytes.fourcc(head, 4).equals("moov") && size < head.length && Bytes.has(head, (int) size, 8)) {
            String next = Bytes.fourcc(head, (int) size + 4);
            return next.equals("moov") || next.equals("mdat") || next.equals("free") || next.equals("wide")
                    || next.equals("skip") || next.equals("ftyp");
        }
        return true;
    }

    /** A box: its type and the payload range. */
    record Box(String type, int start, int end) {
        int size() {
            return end - start;
        }
    }

    /** The boxes directly inside {@code [from, to)}. */
    static List<Box> boxes(byte[] d, int from, int to, Work work) {
        List<Box> out = new ArrayList<>();
        int p = from;
        while (p + 8 <= to) {
            work.check();
            long size = Bytes.u32be(d, p);
            String type = Bytes.fourcc(d, p + 4);
            int header = 8;
            if (size == 1) {
                if (p + 16 > to) {
                    break;
                }
                size = Bytes.u64be(d, p + 8);
                header = 16;
            } else if (size == 0) {
                size = to - p;
            }
            if (size < header) {
                break; // corrupt: stop here, keep what was found
            }
            long end = Math.min((long) p + size, to); // a truncated last box keeps what is there
            out.add(new Box(type, p + header, (int) end));
            if (out.size() > 100_000) {
                throw work.fail("too many boxes");
            }
            p = (int) end;
        }
        return out;
    }

    static Box find(byte[] d, Box parent, String type, Work work) {
        if (parent == null) {
            return null;
        }
        for (Box b : boxes(d, parent.start, parent.end, work)) {
            if (b.type.equals(type)) {
                return b;
            }
        }
        return null;
    }

    static Box path(byte[] d, Box box, Work work, String... types) {
        for (String t : types) {
            box = find(d, box, t, work);
        }
        return box;
    }

    @FunctionalInterface
    private interface SampleConsumer {
        void sample(int offset, int size);
    }

    private enum Codec {
        AAC, OPUS, MP3
    }

    /** What is known of the audio track. */
    private static final class Track {
        int id;
        long mediaScale;
        Codec codec;
        byte[] asc;
        OpusCodec.Head opus;
        String unsupported;
        long editSkip = -1; // media time units
        long editDuration = -1; // movie time units
        Box stbl;
        int defaultSampleSize;
    }

    @Override
    void decode(byte[] d, Work work) {
        List<Box> top = boxes(d, 0, d.length, work);
        Box moov = null;
        for (Box b : top) {
            if (b.type.equals("moov")) {
                moov = b;
                break;
            }
        }
        if (moov == null) {
            throw work.fail("no 'moov' box (movie header); the file is truncated or not MP4");
        }
        long movieScale = 0;
        Box mvhd = find(d, moov, "mvhd", work);
        if (mvhd != null && mvhd.size() >= 20) {
            movieScale = Bytes.u32be(d, mvhd.start + (Bytes.u8(d, mvhd.start) == 1 ? 20 : 12));
        }
        Track track = null;
        List<String> found = new ArrayList<>();
        for (Box trak : boxes(d, moov.start, moov.end, work)) {
            if (!trak.type.equals("trak")) {
                continue;
            }
            Box hdlr = path(d, trak, work, "mdia", "hdlr");
            if (hdlr == null || hdlr.size() < 12 || !Bytes.fourcc(d, hdlr.start + 8).equals("soun")) {
                continue;
            }
            Track t = readTrack(d, trak, work);
            if (t.codec != null) {
                track = t;
                break;
            }
            found.add(t.unsupported);
        }
        if (track == null) {
            throw work.fail(found.isEmpty() ? "no audio track" : "no supported audio track (found: " + String.join(", ", found) + ")");
        }
        Track chosen = track;
        long scale = movieScale;
        PcmSink sink = new PcmSink(work, rate -> trim(chosen, scale, rate));
        SampleConsumer consumer;
        ByteArrayOutputStream mp3 = null;
        switch (track.codec) {
            case AAC -> {
                AacCodec codec = new AacCodec(track.asc, work);
                consumer = (off, size) -> codec.decode(Arrays.copyOfRange(d, off, off + size), sink, work);
            }
            case OPUS -> {
                OpusCodec codec;
                try {
                    codec = new OpusCodec(track.opus);
                } catch (Exception e) {
                    throw work.fail("unsupported Opus configuration (" + Work.describe(e) + ")");
                }
                sink.sampleRate(codec.rate());
                consumer = (off, size) -> codec.decode(d, off, size, sink, work);
            }
            default -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                mp3 = all;
                consumer = (off, size) -> {
                    if (all.size() + (long) size > d.length) {
                        throw work.fail("MP3 samples overlap (corrupt sample tables)");
                    }
                    all.write(d, off, size);
                };
            }
        }
        // the samples of the sample tables, then those of any movie fragments
        int[] count = new int[1];
        SampleConsumer counting = (off, size) -> {
            work.check();
            count[0]++;
            consumer.sample(off, size);
        };
        sampleTable(d, track, counting, work);
        Box mvex = find(d, moov, "mvex", work);
        if (mvex != null) {
            for (Box trex : boxes(d, mvex.start, mvex.end, work)) {
                if (trex.type.equals("trex") && trex.size() >= 24 && Bytes.u32be(d, trex.start + 4) == track.id) {
                    track.defaultSampleSize = (int) Bytes.u32be(d, trex.start + 16);
                }
            }
            for (Box b : top) {
                if (b.type.equals("moof")) {
                    fragment(d, b, track, counting, work);
                }
            }
        }
        if (count[0] == 0) {
            throw work.fail("the audio track has no samples");
        }
        if (mp3 != null) {
            byte[] frames = mp3.toByteArray();
            MpegAudio.decode(frames, 0, frames.length, work);
            return;
        }
        if (!sink.hasRate()) {
            work.checkErrors();
            throw work.fail("no audio decoded");
        }
        sink.finish();
    }

    /** The edit list's start and length, or Opus's pre-skip, in samples at {@code rate}. */
    private static PcmSink.Trim trim(Track track, long movieScale, int rate) {
        long skip = 0;
        long keep = -1;
        if (track.editSkip > 0 && track.mediaScale > 0) {
            skip = track.editSkip * rate / track.mediaScale;
        } else if (track.codec == Codec.OPUS) {
            skip = track.opus.toOutput(track.opus.preSkip());
        }
        if (track.editDuration > 0 && movieScale > 0) {
            keep = track.editDuration * rate / movieScale;
        }
        return new PcmSink.Trim(skip, keep);
    }

    private static Track readTrack(byte[] d, Box trak, Work work) {
        Track t = new Track();
        Box tkhd = find(d, trak, "tkhd", work);
        if (tkhd != null && tkhd.size() >= 24) {
            t.id = (int) Bytes.u32be(d, tkhd.start + (Bytes.u8(d, tkhd.start) == 1 ? 20 : 12));
        }
        Box mdhd = path(d, trak, work, "mdia", "mdhd");
        if (mdhd != null && mdhd.size() >= 24) {
            t.mediaScale = Bytes.u32be(d, mdhd.start + (Bytes.u8(d, mdhd.start) == 1 ? 20 : 12));
        }
        Box elst = path(d, trak, work, "edts", "elst");
        if (elst != null && elst.size() >= 8) {
            boolean v1 = Bytes.u8(d, elst.start) == 1;
            long count = Bytes.u32be(d, elst.start + 4);
            int entry = v1 ? 20 : 12;
            for (int i = 0, p = elst.start + 8; i < count && p + entry <= elst.end; i++, p += entry) {
                long duration = v1 ? Bytes.u64be(d, p) : Bytes.u32be(d, p);
                long mediaTime = v1 ? Bytes.u64be(d, p + 8) : (int) Bytes.u32be(d, p + 4);
                if (mediaTime < 0) {
                    continue; // an empty edit (a delay before the track starts)
                }
                t.editSkip = mediaTime;
                t.editDuration = count == 1 || i == count - 1 ? duration : -1;
                break;
            }
        }
        t.stbl = path(d, trak, work, "mdia", "minf", "stbl");
        Box stsd = find(d, t.stbl, "stsd", work);
        if (stsd == null || stsd.size() < 8) {
            t.unsupported = "audio track without sample description";
            return t;
        }
        List<Box> entries = boxes(d, stsd.start + 8, stsd.end, work);
        if (entries.isEmpty()) {
            t.unsupported = "audio track without sample description";
            return t;
        }
        Box entry = entries.get(0);
        // AudioSampleEntry: 8 bytes SampleEntry, 20 bytes audio fields; QuickTime versions 1 and 2 add more
        int version = entry.size() >= 10 ? Bytes.u16be(d, entry.start + 8) : 0;
        int childStart = entry.start + 28 + (version == 1 ? 16 : version == 2 ? 36 : 0);
        Box inner = new Box(entry.type, Math.min(childStart, entry.end), entry.end);
        switch (entry.type) {
            case "mp4a" -> {
                Box esds = find(d, inner, "esds", work);
                if (esds == null) {
                    Box wave = find(d, inner, "wave", work); // QuickTime wraps esds in 'wave'
                    esds = find(d, wave, "esds", work);
                }
                if (esds == null) {
                    t.unsupported = "mp4a without esds";
                    return t;
                }
                readEsds(d, esds, t, work);
            }
            case "Opus" -> {
                Box dops = find(d, inner, "dOps", work);
                if (dops == null) {
                    t.unsupported = "Opus without dOps";
                    return t;
                }
                t.opus = OpusCodec.parseDops(d, dops.start, dops.size(), work);
                t.codec = Codec.OPUS;
            }
            case ".mp3" -> t.codec = Codec.MP3;
            case "alac" -> t.unsupported = "ALAC (Apple Lossless) is not supported";
            default -> t.unsupported = "codec '" + entry.type + "' is not supported";
        }
        return t;
    }

    /** The DecoderConfigDescriptor of an esds box: AAC with its AudioSpecificConfig, or MP3. */
    private static void readEsds(byte[] d, Box esds, Track t, Work work) {
        int p = esds.start + 4;
        int end = esds.end;
        int[] len = new int[1];
        p = descriptor(d, p, end, 0x03, len);
        if (p < 0 || p + 3 > end) {
            t.unsupported = "invalid esds";
            return;
        }
        int flags = Bytes.u8(d, p + 2);
        p += 3;
        if ((flags & 0x80) != 0) {
            p += 2;
        }
        if ((flags & 0x40) != 0 && p < end) {
            p += 1 + Bytes.u8(d, p);
        }
        if ((flags & 0x20) != 0) {
            p += 2;
        }
        p = descriptor(d, p, end, 0x04, len);
        if (p < 0 || p + 13 > end) {
            t.unsupported = "invalid esds";
            return;
        }
        int objectType = Bytes.u8(d, p);
        int configEnd = Math.min(end, p + len[0]);
        if (objectType == 0x69 || objectType == 0x6b) {
            t.codec = Codec.MP3;
            return;
        }
        if (objectType != 0x40 && objectType != 0x66 && objectType != 0x67 && objectType != 0x68) {
            t.unsupported = String.format("object type 0x%02x is not supported", objectType);
            return;
        }
        int q = descriptor(d, p + 13, configEnd, 0x05, len);
        if (q < 0 || len[0] < 2 || q + len[0] > end) {
            t.unsupported = "AAC without decoder configuration";
            return;
        }
        t.asc = Arrays.copyOfRange(d, q, q + Math.min(len[0], 64));
        t.codec = Codec.AAC;
    }

    /** Skips to the payload of the descriptor with {@code tag} at {@code p}; its length goes to len[0]; -1 if absent. */
    private static int descriptor(byte[] d, int p, int end, int tag, int[] len) {
        if (p < 0 || p >= end || Bytes.u8(d, p) != tag) {
            return -1;
        }
        p++;
        int n = 0;
        for (int i = 0; i < 4; i++) {
            if (p >= end) {
                return -1;
            }
            int b = Bytes.u8(d, p++);
            n = (n << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                break;
            }
        }
        len[0] = n;
        return p;
    }

    /** The samples of the sample tables (stsz, stsc, stco/co64) as {offset, size}. */
    private static void sampleTable(byte[] d, Track t, SampleConsumer out, Work work) {
        Box stsz = find(d, t.stbl, "stsz", work);
        Box stsc = find(d, t.stbl, "stsc", work);
        Box stco = find(d, t.stbl, "stco", work);
        boolean co64 = false;
        if (stco == null) {
            stco = find(d, t.stbl, "co64", work);
            co64 = true;
        }
        if (stsz == null || stsc == null || stco == null || stsz.size() < 12 || stsc.size() < 8 || stco.size() < 8) {
            return; // fragmented files have empty tables
        }
        int fixedSize = (int) Math.min(Bytes.u32be(d, stsz.start + 4), Integer.MAX_VALUE);
        long sampleCount = Bytes.u32be(d, stsz.start + 8);
        if (fixedSize == 0) {
            sampleCount = Math.min(sampleCount, (stsz.size() - 12) / 4);
        }
        int entrySize = co64 ? 8 : 4;
        long chunks = Math.min(Bytes.u32be(d, stco.start + 4), (stco.size() - 8) / entrySize);
        long runs = Math.min(Bytes.u32be(d, stsc.start + 4), (stsc.size() - 8) / 12);
        int sample = 0;
        for (int r = 0; r < runs && sample < sampleCount; r++) {
            int rp = stsc.start + 8 + r * 12;
            long firstChunk = Bytes.u32be(d, rp);
            long perChunk = Bytes.u32be(d, rp + 4);
            long nextFirst = r + 1 < runs ? Bytes.u32be(d, rp + 12) : chunks + 1;
            if (firstChunk < 1 || nextFirst <= firstChunk) {
                continue;
            }
            for (long c = firstChunk; c < nextFirst && c <= chunks && sample < sampleCount; c++) {
                int cp = stco.start + 8 + (int) (c - 1) * entrySize;
                long offset = co64 ? Bytes.u64be(d, cp) : Bytes.u32be(d, cp);
                for (long i = 0; i < perChunk && sample < sampleCount; i++, sample++) {
                    long size = fixedSize != 0 ? fixedSize : Bytes.u32be(d, stsz.start + 12 + sample * 4);
                    if (offset < 0 || size < 0 || offset + size > d.length) {
                        return; // beyond the end: a truncated file
                    }
                    out.sample((int) offset, (int) size);
                    offset += size;
                }
            }
        }
    }

    /** The samples of one movie fragment for the track. */
    private static void fragment(byte[] d, Box moof, Track t, SampleConsumer out, Work work) {
        int moofStart = moof.start - 8;
        long nextDataOffset = moofStart;
        for (Box traf : boxes(d, moof.start, moof.end, work)) {
            if (!traf.type.equals("traf")) {
                continue;
            }
            Box tfhd = find(d, traf, "tfhd", work);
            if (tfhd == null || tfhd.size() < 8 || Bytes.u32be(d, tfhd.start + 4) != t.id) {
                continue;
            }
            int flags = Bytes.u24be(d, tfhd.start + 1);
            int p = tfhd.start + 8;
            long base = nextDataOffset;
            int defaultSize = t.defaultSampleSize;
            if ((flags & 0x1) != 0 && p + 8 <= tfhd.end) {
                base = Bytes.u64be(d, p);
                p += 8;
            } else if ((flags & 0x20000) != 0) {
                base = moofStart;
            }
            if ((flags & 0x2) != 0) {
                p += 4;
            }
            if ((flags & 0x8) != 0) {
                p += 4;
            }
            if ((flags & 0x10) != 0 && p + 4 <= tfhd.end) {
                defaultSize = (int) Bytes.u32be(d, p);
            }
            long offset = base;
            for (Box trun : boxes(d, traf.start, traf.end, work)) {
                if (!trun.type.equals("trun") || trun.size() < 8) {
                    continue;
                }
                int tf = Bytes.u24be(d, trun.start + 1);
                long count = Bytes.u32be(d, trun.start + 4);
                int q = trun.start + 8;
                if ((tf & 0x1) != 0 && q + 4 <= trun.end) {
                    offset = base + (int) Bytes.u32be(d, q);
                    q += 4;
                }
                if ((tf & 0x4) != 0) {
                    q += 4;
                }
                int fields = Integer.bitCount(tf & 0xf00);
                for (long i = 0; i < count && q + 4 * fields <= trun.end; i++) {
                    if ((tf & 0x100) != 0) {
                        q += 4;
                    }
                    long size = defaultSize;
                    if ((tf & 0x200) != 0) {
                        size = Bytes.u32be(d, q);
                        q += 4;
                    }
                    if ((tf & 0x400) != 0) {
                        q += 4;
                    }
                    if ((tf & 0x800) != 0) {
                        q += 4;
                    }
                    if (offset < 0 || size <= 0 || offset + size > d.length) {
                        break;
                    }
                    out.sample((int) offset, (int) size);
                    offset += size;
                }
            }
            nextDataOffset = offset;
        }
    }
}
