package io.quarkiverse.asr.audio.codecs;

import com.jcraft.jogg.Packet;
import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.Comment;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;

/**
 * Vorbis packets to PCM through JOrbis. The headers are checked here first: JOrbis trusts the sizes they
 * declare (tag lengths, codebook entries, residue classifications), so a few hostile bytes could make it
 * allocate gigabytes or search for a very long time. It gets the identification header once checked, an empty
 * comment header, and the setup header once its codebooks, floors and residues are checked.
 */
final class VorbisCodec {

    /**
     * Bound on codebook entries plus lookup values over all codebooks. libvorbis writes at most about 73 000
     * (measured: 44.1 kHz stereo, quality -1 to 10; 8 to 96 kHz); JOrbis builds tables of that size per stream.
     */
    private static final long MAX_CODEBOOK_ENTRIES = 1 << 18;

    /** A comment header without vendor string or tags. */
    private static final byte[] EMPTY_COMMENT = { 3, 'v', 'o', 'r', 'b', 'i', 's', 0, 0, 0, 0, 0, 0, 0, 0, 1 };

    private final Info info = new Info();
    private final Comment comment = new Comment();
    private DspState dsp;
    private Block block;
    private int headers;
    private final float[][][] pcm = new float[1][][];
    private int[] index;

    VorbisCodec() {
        info.init();
        comment.init();
    }

    boolean ready() {
        return headers == 3;
    }

    int rate() {
        return info.rate;
    }

    /** The next of the three header packets. */
    void header(byte[] b, int off, int len, Work work) {
        int type = headers == 0 ? 1 : headers == 1 ? 3 : 5;
        if (len < 7 || Bytes.u8(b, off) != type || !Bytes.ascii(b, off + 1, "vorbis")) {
            throw work.fail("missing Vorbis header " + type);
        }
        if (type == 1) {
            checkIdentification(b, off, len, work);
        } else if (type == 3) {
            // the tags are not needed, and JOrbis allocates whatever lengths they declare: it gets an empty set
            b = EMPTY_COMMENT;
            off = 0;
            len = EMPTY_COMMENT.length;
        } else {
            checkCodebooks(b, off, len, work);
        }
        int r = info.synthesis_headerin(comment, packet(b, off, len, headers == 0));
        if (r != 0) {
            throw work.fail("invalid Vorbis header " + type);
        }
        headers++;
        if (headers == 3) {
            dsp = new DspState();
            if (dsp.synthesis_init(info) != 0) {
                throw work.fail("invalid Vorbis setup");
            }
            block = new Block(dsp);
            index = new int[info.channels];
        }
    }

    void decode(byte[] b, int off, int len, PcmSink sink, Work work) {
        if (len <= 0) {
            return;
        }
        try {
            if (block.synthesis(packet(b, off, len, false)) != 0) {
                work.bad("undecodable Vorbis packet");
                return;
            }
            dsp.synthesis_blockin(block);
            int n;
            while ((n = dsp.synthesis_pcmout(pcm, index)) > 0) {
                sink.planar(pcm[0], index, info.channels, n, 1f);
                dsp.synthesis_read(n);
            }
            work.good();
        } catch (RuntimeException | AssertionError e) {
            if (e instanceof io.quarkiverse.asr.spi.AsrException a) {
                throw a;
            }
            work.bad(e);
        }
    }

    private static Packet packet(byte[] b, int off, int len, boolean first) {
        Packet p = new Packet();
        p.packet_base = b;
        p.packet = off;
        p.bytes = len;
        p.b_o_s = first ? 1 : 0;
        return p;
    }

    private static void checkIdentification(byte[] b, int off, int len, Work work) {
        if (len < 30) {
            throw work.fail("truncated Vorbis identification header");
        }
        int channels = Bytes.u8(b, off + 11);
        long rate = Bytes.u32le(b, off + 12);
        int small = Bytes.u8(b, off + 28) & 15;
        int large = Bytes.u8(b, off + 28) >>> 4;
        if (Bytes.u32le(b, off + 7) != 0 || channels == 0 || rate == 0 || rate > 1_000_000
                || small < 6 || large > 13 || small > large || (Bytes.u8(b, off + 29) & 1) == 0) {
            throw work.fail("invalid Vorbis identification header");
        }
    }

    /** Bound on a residue's classification table (partitions to the power of its classbook's dimensions). */
    private static final long MAX_RESIDUE_PARTVALS = 1 << 16;

    /**
     * Walks the codebooks, floors and residues of the setup header, refusing sizes that no real encoder
     * produces: JOrbis allocates codebook tables by entries and, per residue, partitions^dimensions arrays.
     */
    private static void checkCodebooks(byte[] b, int off, int len, Work work) {
        Bits r = new Bits(b, off + 7, off + len);
        int books = r.read(8) + 1;
        int[] bookDims = new int[books];
        long total = 0;
        for (int i = 0; i < books; i++) {
            work.check();
            if (r.read(24) != 0x564342) {
                throw work.fail("invalid Vorbis codebook");
            }
            int dims = r.read(16);
            int entries = r.read(24);
            if (dims == 0) {
                throw work.fail("invalid Vorbis codebook dimensions");
            }
            bookDims[i] = dims;
            total += entries;
            if (total > MAX_CODEBOOK_ENTRIES) {
                throw work.fail("Vorbis codebooks larger than any encoder produces");
            }
            if (r.read(1) == 0) {
                boolean sparse = r.read(1) == 1;
                for (int e = 0; e < entries; e++) {
                    if (!sparse || r.read(1) == 1) {
                        r.read(5);
                    }
                }
            } else {
                r.read(5);
                int cur = 0;
                while (cur < entries) {
                    cur += r.read(ilog(entries - cur));
                    if (cur > entries) {
                        throw work.fail("invalid Vorbis codebook lengths");
                    }
                }
            }
            int lookup = r.read(4);
            if (lookup == 1 || lookup == 2) {
                r.read(32);
                r.read(32);
                int valueBits = r.read(4) + 1;
                r.read(1);
                long values = lookup == 1 ? lookup1Values(entries, dims) : (long) entries * dims;
                if (lookup == 1 && pow(values + 1, dims) > Integer.MAX_VALUE) {
                    // JOrbis finds this value by a search in int arithmetic that overflows and may not end
                    throw work.fail("Vorbis codebook dimensions larger than any encoder produces");
                }
                total += (long) entries * dims;
                if (total > MAX_CODEBOOK_ENTRIES) {
                    throw work.fail("Vorbis codebooks larger than any encoder produces");
                }
                r.skip(values * valueBits);
            } else if (lookup != 0) {
                throw work.fail("invalid Vorbis codebook lookup type " + lookup);
            }
            if (total > MAX_CODEBOOK_ENTRIES) {
                throw work.fail("Vorbis codebooks larger than any encoder produces");
            }
        }
        int transforms = r.read(6) + 1;
        for (int i = 0; i < transforms; i++) {
            if (r.read(16) != 0) {
                throw work.fail("invalid Vorbis time domain transform");
            }
        }
        int floors = r.read(6) + 1;
        for (int i = 0; i < floors; i++) {
            int type = r.read(16);
            if (type == 0) {
                r.skip(8 + 16 + 16 + 6 + 8);
                r.skip(8L * (r.read(4) + 1));
            } else if (type == 1) {
                int partitions = r.read(5);
                int[] classOf = new int[partitions];
                int maxClass = -1;
                for (int p = 0; p < partitions; p++) {
                    classOf[p] = r.read(4);
                    maxClass = Math.max(maxClass, classOf[p]);
                }
                int[] classDims = new int[maxClass + 1];
                for (int c = 0; c <= maxClass; c++) {
                    classDims[c] = r.read(3) + 1;
                    int subclasses = r.read(2);
                    if (subclasses != 0) {
                        r.read(8);
                    }
                    r.skip(8L << subclasses);
                }
                r.read(2);
                int rangeBits = r.read(4);
                for (int p = 0; p < partitions; p++) {
                    r.skip((long) classDims[classOf[p]] * rangeBits);
                }
            } else {
                throw work.fail("invalid Vorbis floor type " + type);
            }
        }
        int residues = r.read(6) + 1;
        for (int i = 0; i < residues; i++) {
            if (r.read(16) > 2) {
                throw work.fail("invalid Vorbis residue type");
            }
            r.skip(24 + 24 + 24);
            int partitions = r.read(6) + 1;
            int groupBook = r.read(8);
            if (groupBook >= books) {
                throw work.fail("invalid Vorbis residue codebook");
            }
            long partvals = 1;
            for (int d = 0; d < bookDims[groupBook] && partvals <= MAX_RESIDUE_PARTVALS; d++) {
                partvals *= partitions;
            }
            if (partvals > MAX_RESIDUE_PARTVALS) {
                throw work.fail("Vorbis residue classification larger than any encoder produces");
            }
            int cascades = 0;
            for (int p = 0; p < partitions; p++) {
                int cascade = r.read(3);
                if (r.read(1) == 1) {
                    cascade |= r.read(5) << 3;
                }
                cascades += Integer.bitCount(cascade);
            }
            r.skip(8L * cascades);
        }
    }

    private static int ilog(int v) {
        return 32 - Integer.numberOfLeadingZeros(v);
    }

    static long lookup1Values(int entries, int dims) {
        long r = (long) Math.floor(Math.exp(Math.log(Math.max(entries, 1)) / dims));
        while (pow(r + 1, dims) <= entries) {
            r++;
        }
        while (r > 0 && pow(r, dims) > entries) {
            r--;
        }
        return r;
    }

    private static long pow(long base, int exp) {
        long v = 1;
        for (int i = 0; i < exp; i++) {
            v *= base;
            if (v > Integer.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
        }
        return v;
    }

    /** LSB-first bit reader (Vorbis packing) that throws past the end. */
    private static final class Bits {
        private final byte[] b;
        private final long end;
        private long pos;

        Bits(byte[] b, int from, int to) {
            this.b = b;
            this.pos = (long) from * 8;
            this.end = (long) to * 8;
        }

        int read(int n) {
            if (pos + n > end) {
                throw new IllegalStateException("Vorbis setup header truncated");
            }
            int v = 0;
            for (int i = 0; i < n; i++, pos++) {
                v |= ((b[(int) (pos >>> 3)] >>> (pos & 7)) & 1) << i;
            }
            return v;
        }

        void skip(long n) {
            if (n < 0 || pos + n > end) {
                throw new IllegalStateException("Vorbis setup header truncated");
            }
            pos += n;
        }
    }
}
