package io.quarkiverse.asr.whisper.natives.testmodel;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small, structurally complete ggml whisper model (whisper.cpp 1.7.1 format) whose weights are seeded random
 * numbers plus a few hand-placed "control" weights, so that decoding real audio emits long, audio-dependent token
 * streams with timestamp tokens and several segments (greedy and beam search), deterministically.
 * <p>
 * The header shape, mel filters and vocabulary are copied from a template model (for example the test-sized
 * {@code for-tests-ggml-tiny.en.bin}, which has no tensors); {@code n_vocab} (and so English-only vs multilingual) follows
 * the template. The text it produces is meaningless. See {@code docs/random-weight-test-model.md} for the format and for
 * how the weights are shaped. Only the JDK is used; the output depends only on the template and the seed.
 */
public final class RandomWeightModel {

    /** ggml magic {@code "ggml"} as a little-endian int. */
    static final int GGML_MAGIC = 0x67676d6c;
    static final int N_AUDIO_CTX = 1500;
    static final int N_TEXT_CTX = 448;
    static final int N_MELS = 80;
    static final int TYPE_F32 = 0;
    static final int TYPE_F16 = 1;

    /** Seconds per timestamp token and per encoder frame. */
    static final double TS_STEP = 0.02;

    /**
     * Model dimensions. {@code n_audio_ctx} (1500), {@code n_text_ctx} (448) and {@code n_mels} (80) are fixed; the
     * vocabulary size comes from the template.
     *
     * @param nAudioState encoder width (must equal {@code nTextState})
     * @param nAudioHead encoder attention heads
     * @param nAudioLayer encoder blocks
     * @param nTextState decoder width, at least 64
     * @param nTextHead decoder attention heads, at least 2, head size at least 8
     * @param nTextLayer decoder blocks; 2 is rejected because whisper.cpp 1.7.1 treats 2-layer decoders as
     *        "distil" models and forces no-timestamps mode
     */
    public record Dims(int nAudioState, int nAudioHead, int nAudioLayer, int nTextState, int nTextHead, int nTextLayer) {

        /** 64-wide, 4 heads, one encoder and one decoder block: about 8 MB. */
        public static final Dims DEFAULT = new Dims(64, 4, 1, 64, 4, 1);

        public Dims {
            if (nAudioState != nTextState) {
                throw new IllegalArgumentException("whisper.cpp requires n_audio_state == n_text_state");
            }
            if (nTextState < 64) {
                throw new IllegalArgumentException("n_text_state must be at least 64");
            }
            if (nTextHead < 2 || nTextState % nTextHead != 0 || nTextState / nTextHead < 8) {
                throw new IllegalArgumentException("n_text_head must be >= 2 and divide n_text_state into heads of >= 8");
            }
            if (nAudioHead < 1 || nAudioState % nAudioHead != 0) {
                throw new IllegalArgumentException("n_audio_head must divide n_audio_state");
            }
            if (nAudioLayer < 1 || nTextLayer < 1) {
                throw new IllegalArgumentException("at least one encoder and one decoder block are required");
            }
            if (nTextLayer == 2) {
                throw new IllegalArgumentException(
                        "n_text_layer == 2 makes whisper.cpp 1.7.1 force no_timestamps (distil detection)");
            }
        }
    }

    private static final Map<Path, Path> WRITTEN = new HashMap<>();

    private RandomWeightModel() {
    }

    /**
     * {@link #write(Path, Path, long)} the first time {@code target} is asked for in this class loader, for the test
     * classes that share one model.
     *
     * @throws UncheckedIOException when the model cannot be written
     */
    public static synchronized Path writeOnce(Path templateModel, Path target, long seed) {
        return WRITTEN.computeIfAbsent(target.toAbsolutePath(), t -> {
            try {
                return write(templateModel, t, seed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Same as {@link #write(Path, Path, long, Dims)} with {@link Dims#DEFAULT}. */
    public static Path write(Path templateModel, Path target, long seed) throws IOException {
        return write(templateModel, target, seed, Dims.DEFAULT);
    }

    /**
     * Reads the template's header, mel filters and vocabulary and writes a complete model to {@code target} (written to a
     * temporary sibling first, then moved into place).
     *
     * @return {@code target}
     */
    public static Path write(Path templateModel, Path target, long seed, Dims dims) throws IOException {
        Template t = Template.read(templateModel);
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                new Builder(t, dims, seed, new GgmlWriter(os)).writeAll();
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /**
     * {@code java RandomWeightModel <template.bin> <target.bin> [seed [n_state n_head n_audio_layer n_text_layer]]}
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3 && args.length != 7) {
            System.err.println("usage: RandomWeightModel <template-model.bin> <target.bin> [seed [n_state n_head"
                    + " n_audio_layer n_text_layer]]");
            System.exit(2);
        }
        long seed = args.length >= 3 ? Long.parseLong(args[2]) : 42L;
        Dims dims = Dims.DEFAULT;
        if (args.length == 7) {
            int state = Integer.parseInt(args[3]), head = Integer.parseInt(args[4]);
            dims = new Dims(state, head, Integer.parseInt(args[5]), state, head, Integer.parseInt(args[6]));
        }
        long t0 = System.nanoTime();
        Path out = write(Path.of(args[0]), Path.of(args[1]), seed, dims);
        System.out.printf("wrote %s (%d bytes) in %d ms%n", out, Files.size(out), (System.nanoTime() - t0) / 1_000_000);
    }

    // ------------------------------------------------------------------------------------------------------------
    // template

    /** Header, mel filters and vocabulary of a ggml whisper file (tensors, if any, are ignored). */
    record Template(int[] hparams, int nMel, int nFft, float[] filters, List<byte[]> vocab) {

        int nVocab() {
            return hparams[0];
        }

        static Template read(Path path) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt() != GGML_MAGIC) {
                throw new IOException(path + ": not a ggml whisper model (bad magic)");
            }
            int[] hp = new int[11];
            for (int i = 0; i < hp.length; i++) {
                hp[i] = b.getInt();
            }
            if (hp[9] != N_MELS) {
                throw new IOException(path + ": template has n_mels=" + hp[9] + ", expected " + N_MELS);
            }
            int nMel = b.getInt();
            int nFft = b.getInt();
            float[] filters = new float[nMel * nFft];
            for (int i = 0; i < filters.length; i++) {
                filters[i] = b.getFloat();
            }
            int n = b.getInt();
            List<byte[]> vocab = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] w = new byte[b.getInt()];
                b.get(w);
                vocab.add(w);
            }
            return new Template(hp, nMel, nFft, filters, vocab);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // output

    /** Little-endian writer for the ggml whisper layout. */
    static final class GgmlWriter {
        private final OutputStream os;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        GgmlWriter(OutputStream os) {
            this.os = os;
        }

        void i32(int v) throws IOException {
            ensure(4);
            buf.putInt(v);
        }

        void f32(float v) throws IOException {
            ensure(4);
            buf.putFloat(v);
        }

        void f16(float v) throws IOException {
            ensure(2);
            buf.putShort(Float.floatToFloat16(v));
        }

        void bytes(byte[] v) throws IOException {
            flush();
            os.write(v);
        }

        /**
         * Tensor record: n_dims, name length, type, ne[0..n_dims) (ggml order, ne[0] fastest), name, raw data.
         */
        void tensor(String name, int type, float[] data, int... ne) throws IOException {
            long n = 1;
            for (int d : ne) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalStateException(
                        name + ": " + data.length + " values for shape " + java.util.Arrays.toString(ne));
            }
            byte[] nm = name.getBytes(StandardCharsets.UTF_8);
            i32(ne.length);
            i32(nm.length);
            i32(type);
            for (int d : ne) {
                i32(d);
            }
            bytes(nm);
            for (float v : data) {
                if (type == TYPE_F16) {
                    f16(v);
                } else {
                    f32(v);
                }
            }
        }

        private void ensure(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        void flush() throws IOException {
            os.write(buf.array(), 0, buf.position());
            buf.clear();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // random numbers: SplitMix64 + Box-Muller with StrictMath, so the file is identical on every JVM and platform

    static final class Rng {
        private long state;

        Rng(long seed, String stream) {
            long h = seed;
            for (byte c : stream.getBytes(StandardCharsets.UTF_8)) {
                h = mix(h ^ c) + 0x9E3779B97F4A7C15L;
            }
            state = mix(h);
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        long nextLong() {
            state += 0x9E3779B97F4A7C15L;
            return mix(state);
        }

        /** Uniform in (0, 1). */
        double uniform() {
            return ((nextLong() >>> 11) + 0.5) * 0x1.0p-53;
        }

        double gaussian() {
            return StrictMath.sqrt(-2.0 * StrictMath.log(uniform())) * StrictMath.cos(2.0 * StrictMath.PI * uniform());
        }

    }

    // ------------------------------------------------------------------------------------------------------------
    // the model

    /**
     * Builds and writes every tensor. Tensors are row-major {@code [out][in]} (PyTorch layout), which is ggml
     * {@code ne = [in, out]}.
     */
    static final class Builder {

        // ---- tunables ----
        /** Seconds the decoder's time target advances per generated token. */
        static final double RATE = 0.12;
        /** whisper.cpp decodes at most n_text_ctx/2 - 4 = 220 tokens per 30 s window. */
        static final int WINDOW_TOKENS = 220;
        /** Time-target increase per token beyond WINDOW_TOKENS positions. */
        static final double LATE_RATE = 0.015;
        /** Upper bound of the time target (last timestamp token is 30.00 s). */
        static final double MU_MAX = 29.9;
        /** Fourier periods (s) of the time features; the same set in encoder and decoder. */
        static final double[] PERIODS = { 64, 16, 4, 1, 0.25 };
        /** Peak shape (logits) of the timestamp-token logits around the time target, per period. */
        static final double[] TS_KERNEL = { 4, 8, 8, 16, 60 };
        /** Cross-attention score amplitudes of the content heads (periods 64..1 s): window of about +-0.1 s. */
        static final double[] CONTENT_KERNEL = { 8, 8, 8, 12 };
        /** Cross-attention score amplitudes of the look-ahead head (periods 64, 16, 4 s): window about +-0.3 s. */
        static final double[] LOOKAHEAD_KERNEL = { 8, 10, 20 };
        /** The look-ahead head looks at [mu + 0.3 s, mu + 0.9 s]. */
        static final double LOOKAHEAD_OFFSET = 0.6;
        /** Encoder local-average window (periods 64, 16, 4 s): about +-0.7 s. */
        static final double[] LOCAL_AVG_KERNEL = { 4, 8, 6 };
        /** Decoder self-attention window over recent tokens (periods 64, 16, 4 s): the last ~4 tokens. */
        static final double[] RECENT_KERNEL = { 4, 4, 10 };
        /** Strength of the built-in repetition penalty (about one text-logit std on the previous token). */
        static final double REPULSION = 1.0;
        /** Scale of the audio content that the cross-attention adds to each content channel. */
        static final double CONTENT_GAIN = 3.0;
        /** The content heads look at mu - 0.1 s .. mu + 0.1 s. */
        static final double CONTENT_OFFSET_SPREAD = 0.1;

        /** Value of the two anchor channels (+A, -A) that make every layer norm a near-constant scaling. */
        static final double ANCHOR = 200;
        static final double PE_AMP = 2;
        static final double TS_EMB_AMP = 0.25;
        static final double BIAS_H = 10;
        static final double MARKER = 4;

        // logit levels, in units of S = the standard deviation of the random part of a text token's logit. The best
        // of ~30k word tokens then scores about 3.5 S .. 9 S (the scale varies with the audio); a large S makes the
        // best token win by a wide margin (p close to 1), which keeps beam search stable.
        static final double S = 200;
        static final double TEXT_LOGIT_STD = S;
        static final double CONTINUATION_BIAS = -0.4 * S;
        /** End-of-sentence tokens ("." "," "?" "!"): one of them wins roughly one step in eight. */
        static final double END_BIAS = 2.65 * S;
        /** Bias -FREQ_BIAS * ln(1 + id/1000): low BPE ids (frequent words) are preferred. */
        static final double FREQ_BIAS = 0.16 * S;
        static final double JUNK_BIAS = -6 * S;
        /** Peak timestamp logit without a gate: TS_BIAS + sum(TS_KERNEL) = 50, below any best text token. */
        static final double TS_BIAS = -46;
        static final double EOT_BIAS = -2 * S;
        /** Timestamp boost after an end-of-sentence token (and after the prompt). */
        static final double GATE = 20 * S;
        /** Timestamp boost per unit of padding fraction seen 0.3..0.9 s ahead. */
        static final double PAD_TS = 16 * S;
        /**
         * EOT boost per unit of the MLP's "no-timestamps prompt AND padding ahead" unit (0 below a padding fraction of
         * 0.5, 10 at 0.7, 25 at 1). Without <|notimestamps|> EOT is never boosted: windows end by whisper's
         * end-of-audio rule or after 220 tokens, never right after the initial timestamp.
         */
        static final double EOT_PER_UNIT = 1.2 * S;
        static final double LANG_EN_BIAS = 50;
        /**
         * Penalty on end-of-sentence tokens right after a timestamp or another end token (no segments made of a lone
         * "."), and on timestamps right after those.
         */
        static final double NO_END_AFTER_TS = 3 * S;

        final Template t;
        final Dims dims;
        final long seed;
        final GgmlWriter w;
        final int d;
        final int nVocab;
        final boolean multilingual;
        final int eot, sot, translate, transcribe, solm, prev, nosp, not, beg, nLang;
        final int promptLen;

        // ---- decoder channels (x_P: "partner" holding -x so every designed vector has zero mean) ----
        // A0/A1 anchors; BIAS constant logit bias (final-norm bias); F0.. time features of mu; GA end-of-sentence
        // marker of the input token; GB timestamp gate; CP padding fraction ahead; CF no-timestamps flag; KN/VN key and
        // value markers of <|notimestamps|> (SOT is the attention sink); DZR zero reference (always 0, cancels the
        // norm's mean); NE "no end token after a timestamp/end token"; CE EOT drive; R0.. random content.
        static final int A0 = 0, A1 = 1, BIAS = 2, BIAS_P = 3;
        static final int F0 = 4; // 5 groups of (cos, sin, partner) = channels 4..18
        static final int GA = 19, GA_P = 20, GB = 21, GB_P = 22, CP = 23, CP_P = 24, CF = 25, CF_P = 26;
        static final int KN = 27, KN_P = 28, VN = 29, VN_P = 30, DZR = 31, NE = 32, NE_P = 33, CE = 34, CE_P = 35, R0 = 36;

        // ---- encoder channels: anchors, time features of the frame, padding indicator EP, zero reference, content ----
        static final int EF0 = 2; // 5 pairs (cos, sin) = channels 2..11
        static final int EP = 12, EZR = 13, C0 = 14;
        // conv1 (intermediate) channels
        static final int FLAT_PAIRS = 8, CC0 = 2 * FLAT_PAIRS;

        final double sDec;
        final double sEnc;
        /** Signs of the final-norm weights of the content channels (balanced, shuffled). */
        final int[] rSign;

        Builder(Template t, Dims dims, long seed, GgmlWriter w) {
            this.t = t;
            this.dims = dims;
            this.seed = seed;
            this.w = w;
            this.d = dims.nTextState();
            this.nVocab = t.nVocab();
            this.multilingual = nVocab >= 51865;
            int numLang = nVocab - 51765 - (multilingual ? 1 : 0);
            int dt = multilingual ? numLang - 98 : 0;
            int m = multilingual ? 1 : 0;
            this.eot = 50256 + m;
            this.sot = 50257 + m;
            this.translate = 50357 + dt;
            this.transcribe = 50358 + dt;
            this.solm = 50359 + dt;
            this.prev = 50360 + dt;
            this.nosp = 50361 + dt;
            this.not = 50362 + dt;
            this.beg = 50363 + dt;
            this.nLang = numLang;
            if (nVocab - beg != 1501) {
                throw new IllegalArgumentException("unexpected n_vocab " + nVocab + " (expected 1501 timestamp tokens)");
            }
            this.promptLen = multilingual ? 3 : 1; // SOT [, lang, task]
            // layer-norm scale: the two anchor channels (+-ANCHOR) dominate the variance, so norm(x) ~ x / s
            this.sDec = StrictMath.sqrt((2 * ANCHOR * ANCHOR + 230) / d);
            this.sEnc = StrictMath.sqrt((2 * ANCHOR * ANCHOR + 60) / d);
            this.rSign = new int[d - R0];
            for (int i = 0; i < rSign.length; i++) {
                rSign[i] = i % 2 == 0 ? 1 : -1;
            }
            Rng rs = rng("decoder.ln.signs");
            for (int i = rSign.length - 1; i > 0; i--) {
                int j = (int) ((rs.nextLong() >>> 1) % (i + 1));
                int tmp = rSign[i];
                rSign[i] = rSign[j];
                rSign[j] = tmp;
            }
        }

        Rng rng(String name) {
            return new Rng(seed, name);
        }

        static double omega(int m) {
            return 2 * Math.PI / PERIODS[m];
        }

        /**
         * Decoder time target (s) for the token at {@code pos} (the input position of a decoding step): RATE s per token
         * over the at most 220 tokens of a window, then (positions reached only when whisper carries earlier text into
         * the prompt of a later 30 s window) a slow creep, so timestamps stay distinct and below 30 s.
         */
        double mu(int pos) {
            int delta = Math.max(0, pos - (promptLen - 1));
            double mu = delta <= WINDOW_TOKENS ? RATE * delta
                    : RATE * WINDOW_TOKENS + LATE_RATE * (delta - WINDOW_TOKENS);
            return Math.min(MU_MAX, mu);
        }

        int rCount() {
            return d - R0;
        }

        int cCount() {
            return d - C0;
        }

        void writeAll() throws IOException {
            writeHeader();
            writeEncoder();
            writeDecoder();
            w.flush();
        }

        void writeHeader() throws IOException {
            w.i32(GGML_MAGIC);
            w.i32(nVocab);
            w.i32(N_AUDIO_CTX);
            w.i32(dims.nAudioState());
            w.i32(dims.nAudioHead());
            w.i32(dims.nAudioLayer());
            w.i32(N_TEXT_CTX);
            w.i32(dims.nTextState());
            w.i32(dims.nTextHead());
            w.i32(dims.nTextLayer());
            w.i32(N_MELS);
            w.i32(1); // ftype: mostly F16
            w.i32(t.nMel());
            w.i32(t.nFft());
            for (float f : t.filters()) {
                w.f32(f);
            }
            w.i32(t.vocab().size());
            for (byte[] tok : t.vocab()) {
                w.i32(tok.length);
                w.bytes(tok);
            }
        }

        // ---------------------------------------------------------------- helpers

        static float[] zeros(int n) {
            return new float[n];
        }

        /** Gaussian values into {@code m[row*cols + c]} for c in [c0, c1), rows in [r0, r1), zero-sum per row. */
        static void randRows(float[] m, int cols, int r0, int r1, int c0, int c1, double std, Rng r) {
            for (int row = r0; row < r1; row++) {
                double sum = 0;
                for (int c = c0; c < c1; c++) {
                    double v = r.gaussian() * std;
                    m[row * cols + c] = (float) v;
                    sum += v;
                }
                float mean = (float) (sum / (c1 - c0));
                for (int c = c0; c < c1; c++) {
                    m[row * cols + c] -= mean;
                }
            }
        }

        /** Gaussian values into rows [r0, r1) x columns [c0, c1), zero-sum per column. */
        static void randCols(float[] m, int cols, int r0, int r1, int c0, int c1, double std, Rng r) {
            for (int c = c0; c < c1; c++) {
                double sum = 0;
                for (int row = r0; row < r1; row++) {
                    double v = r.gaussian() * std;
                    m[row * cols + c] = (float) v;
                    sum += v;
                }
                float mean = (float) (sum / (r1 - r0));
                for (int row = r0; row < r1; row++) {
                    m[row * cols + c] -= mean;
                }
            }
        }

        void f32(String name, float[] data, int... ne) throws IOException {
            w.tensor(name, TYPE_F32, data, ne);
        }

        void f16(String name, float[] data, int... ne) throws IOException {
            w.tensor(name, TYPE_F16, data, ne);
        }

        /** Linear layer: weight [out][in] as ggml ne=[in,out] (F16) and optional bias (F32). */
        void linear(String prefix, float[] weight, float[] bias, int in, int out) throws IOException {
            f16(prefix + ".weight", weight, in, out);
            if (bias != null) {
                f32(prefix + ".bias", bias, out);
            }
        }

        // ---------------------------------------------------------------- encoder

        void writeEncoder() throws IOException {
            int n = d;
            // positional embedding: anchors + Fourier features of the frame time
            float[] pe = new float[N_AUDIO_CTX * n];
            for (int f = 0; f < N_AUDIO_CTX; f++) {
                int o = f * n;
                pe[o + A0] = (float) ANCHOR;
                pe[o + A1] = (float) -ANCHOR;
                double time = f * TS_STEP;
                for (int m = 0; m < PERIODS.length; m++) {
                    pe[o + EF0 + 2 * m] = (float) (PE_AMP * StrictMath.cos(omega(m) * time));
                    pe[o + EF0 + 2 * m + 1] = (float) (PE_AMP * StrictMath.sin(omega(m) * time));
                }
            }
            f32("encoder.positional_embedding", pe, n, N_AUDIO_CTX);

            // conv1: 80 mels x 3 taps -> n channels. Pairs of zero-sum "flatness" filters (+v, -v) and random content
            // filters.
            int k1 = N_MELS * 3;
            float[] c1 = new float[n * k1];
            float[] b1 = new float[n];
            Rng r = rng("encoder.conv1");
            for (int p = 0; p < FLAT_PAIRS; p++) {
                double[] v = new double[k1];
                double sum = 0;
                for (int i = 0; i < k1; i++) {
                    v[i] = r.gaussian();
                    sum += v[i];
                }
                double norm = 0;
                for (int i = 0; i < k1; i++) {
                    v[i] -= sum / k1;
                    norm += v[i] * v[i];
                }
                double scale = 20 / StrictMath.sqrt(norm);
                for (int i = 0; i < k1; i++) {
                    c1[(2 * p) * k1 + i] = (float) (v[i] * scale);
                    c1[(2 * p + 1) * k1 + i] = (float) (-v[i] * scale);
                }
            }
            for (int o = CC0; o < n; o++) {
                for (int i = 0; i < k1; i++) {
                    c1[o * k1 + i] = (float) (r.gaussian() * 2.0 / StrictMath.sqrt(k1));
                }
                b1[o] = (float) (r.gaussian() * 0.3);
            }
            f16("encoder.conv1.weight", c1, 3, N_MELS, n);
            f32("encoder.conv1.bias", b1, 1, n);

            // conv2 (stride 2): padding indicator EP = gelu(4 - 0.5 * sum(flatness)), random content channels
            int k2 = n * 3;
            float[] c2 = new float[n * k2];
            float[] b2 = new float[n];
            r = rng("encoder.conv2");
            for (int i = 0; i < CC0; i++) {
                for (int tap = 0; tap < 3; tap++) {
                    c2[EP * k2 + i * 3 + tap] = -0.5f;
                }
            }
            b2[EP] = 4;
            int nIn = n - CC0;
            for (int o = C0; o < n; o++) {
                for (int i = CC0; i < n; i++) {
                    for (int tap = 0; tap < 3; tap++) {
                        c2[o * k2 + i * 3 + tap] = (float) (r.gaussian() * 2.0 / StrictMath.sqrt(3.0 * nIn));
                    }
                }
                b2[o] = (float) (r.gaussian() * 0.3);
            }
            f16("encoder.conv2.weight", c2, 3, n, n);
            f32("encoder.conv2.bias", b2, 1, n);

            // ln_post: anchors dropped; time features and padding indicator to unit scale; content to ~unit scale
            float[] lnw = new float[n];
            for (int m = 0; m < 2 * PERIODS.length; m++) {
                lnw[EF0 + m] = (float) (sEnc / PE_AMP);
            }
            lnw[EP] = (float) (sEnc / PE_AMP);
            lnw[EZR] = (float) (sEnc / PE_AMP);
            for (int c = C0; c < n; c++) {
                lnw[c] = (float) sEnc;
            }
            f32("encoder.ln_post.weight", lnw, n);
            f32("encoder.ln_post.bias", zeros(n), n);

            for (int l = 0; l < dims.nAudioLayer(); l++) {
                writeEncoderBlock(l);
            }
        }

        void writeEncoderBlock(int l) throws IOException {
            int n = d;
            int nh = dims.nAudioHead();
            int dh = n / nh;
            String p = "encoder.blocks." + l + ".";
            Rng r = rng(p);
            // block 0: every head averages the content channels over about +-0.7 s (Fourier kernel on the frame time)
            // and the output projection subtracts that average: the content becomes local contrast with no
            // persistent component (padding and steady noise become ~0). Later blocks: small random updates.
            boolean designed = l == 0 && dh >= 2 * LOCAL_AVG_KERNEL.length;
            float[] lnw = new float[n];
            for (int c = C0; c < n; c++) {
                lnw[c] = 1;
            }
            lnw[EZR] = 1;
            if (designed) {
                for (int m = 0; m < 2 * PERIODS.length; m++) {
                    lnw[EF0 + m] = 1;
                }
            }
            double lnC = 1.0 / sEnc; // typical norm() output of a content channel
            int nc = cCount();
            f32(p + "attn_ln.weight", lnw.clone(), n);
            f32(p + "attn_ln.bias", zeros(n), n);
            float[] q = new float[n * n], k = new float[n * n], v = new float[n * n], o = new float[n * n];
            double inStd = 1.0 / (lnC * StrictMath.sqrt(nc));
            if (designed) {
                double lnF = PE_AMP / sEnc;
                for (int h = 0; h < nh; h++) {
                    for (int m = 0; m < LOCAL_AVG_KERNEL.length; m++) {
                        // score = q.k / sqrt(dh) = LOCAL_AVG_KERNEL[m] * cos(omega_m * (t_q - t_k))
                        double a = StrictMath.sqrt(LOCAL_AVG_KERNEL[m] * StrictMath.sqrt(dh)) / lnF;
                        for (int j = 0; j < 2; j++) {
                            int row = h * dh + 2 * m + j, ch = EF0 + 2 * m + j;
                            q[row * n + ch] = (float) a;
                            q[row * n + EZR] = (float) -a;
                            k[row * n + ch] = (float) a;
                            k[row * n + EZR] = (float) -a;
                        }
                    }
                    for (int j = 0; j < dh; j++) {
                        int c = C0 + h * dh + j;
                        if (c >= n) {
                            break;
                        }
                        v[(h * dh + j) * n + c] = 1;
                        v[(h * dh + j) * n + EZR] = -1;
                        o[c * n + h * dh + j] = (float) -sEnc;
                    }
                }
            } else {
                randRows(q, n, 0, n, C0, n, inStd, r);
                randRows(k, n, 0, n, C0, n, inStd, r);
                randRows(v, n, 0, n, C0, n, inStd, r);
                randCols(o, n, C0, n, 0, n, 0.1 / StrictMath.sqrt(n), r);
            }
            linear(p + "attn.query", q, zeros(n), n, n);
            f16(p + "attn.key.weight", k, n, n);
            linear(p + "attn.value", v, zeros(n), n, n);
            linear(p + "attn.out", o, zeros(n), n, n);

            f32(p + "mlp_ln.weight", lnw.clone(), n);
            f32(p + "mlp_ln.bias", zeros(n), n);
            int h = 4 * n;
            float[] m0 = new float[h * n], m1 = new float[n * h];
            randRows(m0, n, 0, h, C0, n, inStd, r);
            float[] m0b = new float[h];
            for (int i = 0; i < h; i++) {
                m0b[i] = (float) (r.gaussian() * 0.5);
            }
            randCols(m1, h, C0, n, 0, h, 0.03 / StrictMath.sqrt(h), r);
            linear(p + "mlp.0", m0, m0b, n, h);
            linear(p + "mlp.2", m1, zeros(n), h, n);
        }

        // ---------------------------------------------------------------- decoder

        enum Kind {
            WORD,
            CONTINUATION,
            END,
            JUNK
        }

        static Kind classify(byte[] tok) {
            if (tok.length == 1 && (tok[0] == '.' || tok[0] == ',' || tok[0] == '?' || tok[0] == '!')) {
                return Kind.END;
            }
            int start = tok.length > 0 && tok[0] == ' ' ? 1 : 0;
            if (tok.length - start < 1) {
                return Kind.JUNK;
            }
            for (int i = start; i < tok.length; i++) {
                int c = tok[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                    return Kind.JUNK;
                }
            }
            return start == 1 ? Kind.WORD : Kind.CONTINUATION;
        }

        /** Scales a[from..to) to Euclidean norm {@code norm}. */
        static void normalize(float[] a, int from, int to, double norm) {
            double ss = 0;
            for (int i = from; i < to; i++) {
                ss += (double) a[i] * a[i];
            }
            double f = norm / StrictMath.sqrt(ss);
            for (int i = from; i < to; i++) {
                a[i] = (float) (a[i] * f);
            }
        }

        static void pair(float[] a, int o, int c, int cp, double v) {
            a[o + c] = (float) v;
            a[o + cp] = (float) -v;
        }

        void writeDecoder() throws IOException {
            int n = d;
            // positional embedding: anchors, Fourier features of the time target mu(pos), random content
            float[] pe = new float[N_TEXT_CTX * n];
            Rng r = rng("decoder.positional_embedding");
            for (int pos = 0; pos < N_TEXT_CTX; pos++) {
                int o = pos * n;
                pe[o + A0] = (float) ANCHOR;
                pe[o + A1] = (float) -ANCHOR;
                double mu = mu(pos);
                for (int m = 0; m < PERIODS.length; m++) {
                    double c = PE_AMP * StrictMath.cos(omega(m) * mu), s = PE_AMP * StrictMath.sin(omega(m) * mu);
                    pe[o + F0 + 3 * m] = (float) c;
                    pe[o + F0 + 3 * m + 1] = (float) s;
                    pe[o + F0 + 3 * m + 2] = (float) -(c + s);
                }
                randRows(pe, n, pos, pos + 1, R0, n, 1.0, r);
            }
            f32("decoder.positional_embedding", pe, n, N_TEXT_CTX);

            f16("decoder.token_embedding.weight", tokenEmbedding(), n, nVocab);

            // final norm: h = norm(x) * w + b, logits = E . h
            float[] lnw = new float[n], lnb = new float[n];
            lnb[BIAS] = (float) BIAS_H;
            for (int m = 0; m < PERIODS.length; m++) {
                double wf = TS_KERNEL[m] / TS_EMB_AMP * sDec / PE_AMP;
                lnw[F0 + 3 * m] = (float) wf;
                lnw[F0 + 3 * m + 1] = (float) wf;
            }
            lnw[GB] = (float) (GATE / 10 * sDec); // MLP writes 10 into GB
            // input end/timestamp token (+1) x output end/timestamp token (+1), negative weight: no "." right after
            // a timestamp or another "."
            lnw[NE] = (float) (-NO_END_AFTER_TS * sDec);
            lnw[CP] = (float) (PAD_TS / 5 * sDec); // cross-attention writes 5 * padding fraction into CP
            lnw[CE] = (float) (EOT_PER_UNIT * sDec); // MLP unit 1 writes 0..25 into CE
            double xr = 1.12; // typical magnitude of a content channel before the final norm
            double wr = TEXT_LOGIT_STD / StrictMath.sqrt(rCount()) * sDec / xr;
            for (int c = R0; c < n; c++) {
                lnw[c] = (float) (rSign[c - R0] * wr); // random signs: no self-preference of the input token
            }
            f32("decoder.ln.weight", lnw, n);
            f32("decoder.ln.bias", lnb, n);

            for (int l = 0; l < dims.nTextLayer(); l++) {
                writeDecoderBlock(l);
            }
        }

        float[] tokenEmbedding() {
            int n = d;
            float[] e = new float[nVocab * n];
            Rng r = rng("decoder.token_embedding");
            int vocabSize = t.vocab().size();
            for (int id = 0; id < nVocab; id++) {
                int o = id * n;
                if (id < eot) {
                    Kind kind = id < vocabSize ? classify(t.vocab().get(id)) : Kind.JUNK;
                    double bias = switch (kind) {
                        case WORD -> 0;
                        case CONTINUATION -> CONTINUATION_BIAS;
                        case END -> END_BIAS;
                        case JUNK -> JUNK_BIAS;
                    };
                    if (kind == Kind.WORD || kind == Kind.CONTINUATION) {
                        bias -= FREQ_BIAS * StrictMath.log1p(id / 1000.0); // BPE ids roughly follow frequency
                    }
                    pair(e, o, BIAS, BIAS_P, bias / BIAS_H);
                    if (kind == Kind.END) {
                        pair(e, o, GA, GA_P, MARKER);
                        pair(e, o, NE, NE_P, 1);
                    }
                    randRows(e, n, id, id + 1, R0, n, 1.0, r);
                    normalize(e, o + R0, o + n, StrictMath.sqrt(rCount()));
                } else if (id == eot) {
                    pair(e, o, BIAS, BIAS_P, EOT_BIAS / BIAS_H);
                    pair(e, o, CE, CE_P, 1);
                } else if (id >= beg) {
                    double time = (id - beg) * TS_STEP;
                    pair(e, o, BIAS, BIAS_P, (TS_BIAS) / BIAS_H);
                    for (int m = 0; m < PERIODS.length; m++) {
                        double c = TS_EMB_AMP * StrictMath.cos(omega(m) * time);
                        double s = TS_EMB_AMP * StrictMath.sin(omega(m) * time);
                        e[o + F0 + 3 * m] = (float) c;
                        e[o + F0 + 3 * m + 1] = (float) s;
                        e[o + F0 + 3 * m + 2] = (float) -(c + s);
                    }
                    pair(e, o, GB, GB_P, 1);
                    pair(e, o, CP, CP_P, 1);
                    pair(e, o, NE, NE_P, 1);
                } else if (id > sot && id <= sot + nLang && multilingual) {
                    // language tokens: "en" wins language detection
                    pair(e, o, BIAS, BIAS_P, (id == sot + 1 ? LANG_EN_BIAS : 0) / BIAS_H);
                } else {
                    if (id == sot || id == translate || id == transcribe) {
                        pair(e, o, GA, GA_P, MARKER); // prompt end: the first token is a timestamp
                    }
                    if (id == sot || id == translate || id == transcribe || id == not) {
                        pair(e, o, NE, NE_P, 1); // no "." as the first token
                    }
                    if (id == sot) {
                        pair(e, o, KN, KN_P, 0.5); // attention sink for the no-timestamps detector
                    }
                    if (id == not) {
                        pair(e, o, KN, KN_P, 1);
                        pair(e, o, VN, VN_P, 1);
                    }
                    if (!multilingual && id > sot && id <= sot + nLang) {
                        pair(e, o, BIAS, BIAS_P, (id == sot + 1 ? LANG_EN_BIAS : 0) / BIAS_H);
                    }
                    randRows(e, n, id, id + 1, R0, n, 0.5, r);
                }
            }
            return e;
        }

        void writeDecoderBlock(int l) throws IOException {
            int n = d;
            int nh = dims.nTextHead();
            int dh = n / nh;
            boolean designed = l == 0;
            String p = "decoder.blocks." + l + ".";
            Rng r = rng(p);
            int nr = rCount();
            double lnR = 1.5 / sDec; // typical norm() output of a content channel inside the block
            double inStd = 1.0 / (lnR * StrictMath.sqrt(nr));

            // ---- self-attention: head 0 detects <|notimestamps|> in the prompt; the other heads attend to the last
            // few tokens and push their content away (a built-in repetition penalty)
            float[] ln = new float[n];
            for (int c = R0; c < n; c++) {
                ln[c] = 1;
            }
            if (designed) {
                ln[KN] = 1;
                ln[VN] = 1;
                ln[DZR] = 1;
                for (int m = 0; m < PERIODS.length; m++) {
                    ln[F0 + 3 * m] = 1;
                    ln[F0 + 3 * m + 1] = 1;
                }
            }
            f32(p + "attn_ln.weight", ln, n);
            f32(p + "attn_ln.bias", zeros(n), n);
            float[] q = new float[n * n], k = new float[n * n], v = new float[n * n], o = new float[n * n];
            float[] qb = new float[n];
            if (designed) {
                // score = (q*dh^-1/4).(k*dh^-1/4) = qs * ks * marker / s / sqrt(dh): NOT -> 30, SOT -> 15, others 0
                double qs = 36, ks = 30 * sDec * StrictMath.sqrt(dh) / qs;
                qb[0] = (float) qs;
                k[0 * n + KN] = (float) ks;
                k[0 * n + DZR] = (float) -ks;
                v[0 * n + VN] = (float) sDec;
                v[0 * n + DZR] = (float) -sDec;
                o[CF * n + 0] = 5;
                o[CF_P * n + 0] = -5;
                double lnF = PE_AMP / sDec;
                int pairs = Math.min(RECENT_KERNEL.length, dh / 2);
                for (int h = 1; h < nh; h++) {
                    for (int m = 0; m < pairs; m++) {
                        // score = RECENT_KERNEL[m] * cos(omega_m * (mu_q - mu_k))
                        double a = StrictMath.sqrt(RECENT_KERNEL[m] * StrictMath.sqrt(dh)) / lnF;
                        for (int j = 0; j < 2; j++) {
                            int row = h * dh + 2 * m + j, ch = F0 + 3 * m + j;
                            q[row * n + ch] = (float) a;
                            q[row * n + DZR] = (float) -a;
                            k[row * n + ch] = (float) a;
                            k[row * n + DZR] = (float) -a;
                        }
                    }
                    for (int j = 0; j < dh; j++) {
                        int c = R0 + (h - 1) * dh + j;
                        if (c >= n) {
                            break;
                        }
                        v[(h * dh + j) * n + c] = 1;
                        v[(h * dh + j) * n + DZR] = -1;
                        o[c * n + h * dh + j] = (float) (-REPULSION * rSign[c - R0] * sDec);
                    }
                }
            } else {
                randRows(q, n, 0, n, R0, n, 2 * inStd, r);
                randRows(k, n, 0, n, R0, n, 2 * inStd, r);
                randRows(v, n, 0, n, R0, n, inStd, r);
                randCols(o, n, R0, n, 0, n, 0.2 / StrictMath.sqrt(n), r);
            }
            linear(p + "attn.query", q, qb, n, n);
            f16(p + "attn.key.weight", k, n, n);
            linear(p + "attn.value", v, zeros(n), n, n);
            linear(p + "attn.out", o, zeros(n), n, n);

            // ---- cross-attention: head 0 looks ~0.6 s ahead of the time target for padding, other heads read the
            // audio content around the time target
            float[] cln = new float[n];
            for (int m = 0; m < PERIODS.length; m++) {
                cln[F0 + 3 * m] = 1;
                cln[F0 + 3 * m + 1] = 1;
            }
            cln[DZR] = 1;
            for (int c = R0; c < n; c++) {
                cln[c] = 1;
            }
            f32(p + "cross_attn_ln.weight", cln, n);
            f32(p + "cross_attn_ln.bias", zeros(n), n);
            float[] cq = new float[n * n], ck = new float[n * n], cv = new float[n * n], co = new float[n * n];
            double headScale = StrictMath.sqrt(dh); // score = q.k / sqrt(dh)
            int nc = cCount();
            for (int h = 0; h < nh; h++) {
                boolean look = h == 0 && designed;
                double[] kern = look ? LOOKAHEAD_KERNEL : CONTENT_KERNEL;
                double off;
                if (look) {
                    off = LOOKAHEAD_OFFSET;
                } else {
                    int nContent = designed ? nh - 1 : nh;
                    int idx = designed ? h - 1 : h;
                    off = nContent == 1 ? 0 : CONTENT_OFFSET_SPREAD * (2.0 * idx / (nContent - 1) - 1);
                }
                int pairs = Math.min(kern.length, dh / 2);
                for (int m = 0; m < pairs; m++) {
                    int rowC = h * dh + 2 * m, rowS = rowC + 1;
                    // key: unit Fourier features of the frame time (mean-free via the zero reference channel)
                    ck[rowC * n + EF0 + 2 * m] = 1;
                    ck[rowC * n + EZR] = -1;
                    ck[rowS * n + EF0 + 2 * m + 1] = 1;
                    ck[rowS * n + EZR] = -1;
                    // query: Fourier features of (mu + off), amplitude so that the score term is kern[m]*cos(...)
                    double a = kern[m] * headScale * sDec / PE_AMP;
                    double ca = StrictMath.cos(omega(m) * off), sa = StrictMath.sin(omega(m) * off);
                    int cc = F0 + 3 * m, cs = cc + 1;
                    // (cos(x+off), sin(x+off)) = R(off) (cos x, sin x)
                    cq[rowC * n + cc] = (float) (a * ca);
                    cq[rowC * n + cs] = (float) (-a * sa);
                    cq[rowS * n + cc] = (float) (a * sa);
                    cq[rowS * n + cs] = (float) (a * ca);
                    cq[rowC * n + DZR] = (float) (-a * (ca - sa));
                    cq[rowS * n + DZR] = (float) (-a * (sa + ca));
                }
                if (look) {
                    cv[(h * dh) * n + EP] = 0.5f;
                    cv[(h * dh) * n + EZR] = -0.5f;
                    co[CP * n + h * dh] = 5;
                    co[CP_P * n + h * dh] = -5;
                } else {
                    randRows(cv, n, h * dh, (h + 1) * dh, C0, n, 1.0 / StrictMath.sqrt(nc), r);
                    double outStd = CONTENT_GAIN / (0.8 * StrictMath.sqrt((designed ? nh - 1 : nh) * dh));
                    randCols(co, n, R0, n, h * dh, (h + 1) * dh, outStd, r);
                }
            }
            linear(p + "cross_attn.query", cq, zeros(n), n, n);
            f16(p + "cross_attn.key.weight", ck, n, n);
            linear(p + "cross_attn.value", cv, zeros(n), n, n);
            linear(p + "cross_attn.out", co, zeros(n), n, n);

            // ---- MLP: unit 0 turns the end-of-sentence marker of the input token into the timestamp gate, unit 1
            // drives EOT in no-timestamps mode
            float[] mln = new float[n];
            for (int c = R0; c < n; c++) {
                mln[c] = 1;
            }
            mln[GA] = 1;
            mln[DZR] = 1;
            if (designed) {
                mln[CF] = 1;
                mln[CP] = 1;
            }
            f32(p + "mlp_ln.weight", mln, n);
            f32(p + "mlp_ln.bias", zeros(n), n);
            int hid = 4 * n;
            float[] m0 = new float[hid * n], m0b = new float[hid], m1 = new float[n * hid];
            int firstRandomUnit = designed ? 2 : 0;
            randRows(m0, n, firstRandomUnit, hid, R0, n, inStd * 1.5, r);
            for (int i = firstRandomUnit; i < hid; i++) {
                m0b[i] = (float) (r.gaussian() * 0.5);
            }
            randCols(m1, hid, R0, n, firstRandomUnit, hid, 0.05 / (0.8 * StrictMath.sqrt(hid)), r);
            if (designed) {
                // gelu(54 * norm(x)[GA] - 10): marker 4 -> norm ~0.37 -> +10, no marker -> -10 -> 0
                double g = 20 / (MARKER / sDec);
                m0[0 * n + GA] = (float) g;
                m0[0 * n + DZR] = (float) -g;
                m0b[0] = -10;
                m1[GB * hid + 0] = 1;
                m1[GB_P * hid + 0] = -1;
                // unit 1: gelu(10 * (5*flag + 5*frac - 7.5)), i.e. "<|notimestamps|> in the prompt AND padding ahead"
                m0[1 * n + CF] = (float) (10 * sDec);
                m0[1 * n + CP] = (float) (10 * sDec);
                m0[1 * n + DZR] = (float) (-20 * sDec);
                m0b[1] = -75;
                m1[CE * hid + 1] = 1;
                m1[CE_P * hid + 1] = -1;
            }
            linear(p + "mlp.0", m0, m0b, n, hid);
            linear(p + "mlp.2", m1, zeros(n), hid, n);
        }
    }
}
