package io.quarkiverse.asr.audio.codecs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

import io.quarkiverse.asr.spi.audio.AudioDecoder;

/** Test data and signal helpers. */
final class TestAudio {

    private TestAudio() {
    }

    static Path shared() {
        String dir = System.getProperty("asr.shared.dir");
        Path p = dir != null ? Path.of(dir) : Path.of("../../shared");
        if (!Files.isDirectory(p.resolve("audio"))) {
            throw new IllegalStateException("test data not found at " + p.toAbsolutePath()
                    + " (system property asr.shared.dir)");
        }
        return p;
    }

    static Path audio(String relative) {
        return shared().resolve("audio").resolve(relative);
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = TestAudio.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] head(byte[] data) {
        return Arrays.copyOf(data, Math.min(64, data.length));
    }

    static List<AudioDecoder> loaded() {
        List<AudioDecoder> out = new ArrayList<>();
        ServiceLoader.load(AudioDecoder.class, Thread.currentThread().getContextClassLoader()).forEach(out::add);
        return out;
    }

    /** The decoders of this module that accept the head of {@code data}. */
    static List<AudioDecoder> accepting(byte[] data) {
        byte[] head = head(data);
        return loaded().stream().filter(d -> d.accepts(head)).toList();
    }

    /** Samples of a 16-bit PCM mono WAV as floats in -1..1. */
    static float[] wav16Mono(byte[] wav) {
        int p = 12;
        while (p + 8 <= wav.length) {
            String id = new String(wav, p, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = (int) Bytes.u32le(wav, p + 4);
            if (id.equals("fmt ")) {
                if (Bytes.u16le(wav, p + 8 + 2) != 1 || Bytes.u16le(wav, p + 8 + 14) != 16) {
                    throw new IllegalArgumentException("not 16-bit mono");
                }
            } else if (id.equals("data")) {
                int n = Math.min(size, wav.length - p - 8) / 2;
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (short) Bytes.u16le(wav, p + 8 + 2 * i) / 32768f;
                }
                return out;
            }
            p += 8 + size + (size & 1);
        }
        throw new IllegalArgumentException("no data chunk");
    }

    /** The reference speech, jfk.wav (16 kHz mono). */
    static float[] reference() {
        return wav16Mono(read(audio("jfk.wav")));
    }

    /** Normalised cross-correlation at the best lag within ±maxLag (b shifted against a), and that lag. */
    record Alignment(double correlation, int lag) {
    }

    static Alignment align(float[] a, float[] b, int maxLag) {
        // coarse search on 4x decimated signals, then refine around the best coarse lag
        int coarse = bestLag(a, b, -maxLag, maxLag, 4);
        Alignment best = null;
        for (int lag = coarse - 8; lag <= coarse + 8; lag++) {
            double c = correlation(a, b, lag, 1);
            if (best == null || c > best.correlation) {
                best = new Alignment(c, lag);
            }
        }
        return best;
    }

    private static int bestLag(float[] a, float[] b, int from, int to, int step) {
        double best = -2;
        int bestLag = 0;
        for (int lag = from; lag <= to; lag += step) {
            double c = correlation(a, b, lag, step);
            if (c > best) {
                best = c;
                bestLag = lag;
            }
        }
        return bestLag;
    }

    /** Correlation of a[i] with b[i + lag] over the overlap, normalised by both energies. */
    static double correlation(float[] a, float[] b, int lag, int step) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = Math.max(0, -lag); i < a.length && i + lag < b.length; i += step) {
            double x = a[i];
            double y = b[i + lag];
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return ab / Math.sqrt(aa * bb + 1e-30);
    }

    static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s / Math.max(1, x.length));
    }

    static float peak(float[] x) {
        float p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }
}
