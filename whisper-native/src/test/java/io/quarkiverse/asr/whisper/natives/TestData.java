package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The shared test data (models, audio), found through the {@code asr.shared.dir} system property. */
final class TestData {

    static final Path SHARED = Path.of(System.getProperty("asr.shared.dir", "../shared")).toAbsolutePath().normalize();
    static final Path TINY_EN = SHARED.resolve("models/for-tests-ggml-tiny.en.bin");
    static final Path TINY = SHARED.resolve("models/for-tests-ggml-tiny.bin");
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    static final Path LONG_FORM = SHARED.resolve("audio/synthetic/long-form.wav");
    /** The tiny model trained on espeak-ng speech of the synthetic sentences: real text, their words only. */
    static final Path ESPEAK_MINI = SHARED.resolve("models/for-tests-ggml-espeak-mini.en.bin");
    /** A real whisper.cpp 1.9.3 CPU build (Linux x86_64), with its ggml libraries beside it. */
    static final Path WHISPER_1_9_3 = SHARED.resolve("whisper.cpp/1.9.3/linux-x86_64/libwhisper.so.1");
    private static final Path SYNTHETIC = SHARED.resolve("audio/synthetic");

    private TestData() {
    }

    /** Skips the calling test off Linux x86_64, the only platform of {@link #WHISPER_1_9_3}; fails if it is missing. */
    static void assumeWhisper193Runs() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        assumeTrue(os.startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "the shared whisper.cpp 1.9.3 build is for Linux x86_64, this is " + os + " " + arch + ": skipped");
        assertTrue(Files.isRegularFile(WHISPER_1_9_3), "missing " + WHISPER_1_9_3);
    }

    /** Synthetic sentence {@code id} ("s01" to "s24"), 16 kHz mono. */
    static Path synthetic(String id) {
        return SYNTHETIC.resolve(id + ".wav");
    }

    /** The reference text of synthetic sentence {@code id}, from {@code transcripts.tsv}. */
    static String transcript(String id) {
        try (var lines = Files.lines(SYNTHETIC.resolve("transcripts.tsv"))) {
            return lines.filter(line -> line.startsWith(id + "\t")).map(line -> line.substring(id.length() + 1))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no transcript of " + id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lower case, punctuation dropped, single spaces: what a word-level comparison needs. */
    static String words(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").strip().replaceAll("\\s+", " ");
    }

    /**
     * Samples of a 16 kHz mono 16-bit PCM WAV file, scaled to [-1, 1). Test-only: the real decoder lives in
     * another module.
     */
    static float[] pcm16kMono(Path wav) {
        ByteBuffer in;
        try {
            in = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!chunkId(in).equals("RIFF") || in.getInt() < 0 || !chunkId(in).equals("WAVE")) {
            throw new IllegalArgumentException(wav + " is not a WAV file");
        }
        boolean format = false;
        while (in.remaining() >= 8) {
            String id = chunkId(in);
            int size = in.getInt();
            int start = in.position();
            if (id.equals("fmt ")) {
                short encoding = in.getShort();
                short channels = in.getShort();
                int rate = in.getInt();
                in.position(start + 14);
                short bits = in.getShort();
                if (encoding != 1 || channels != 1 || rate != 16_000 || bits != 16) {
                    throw new IllegalArgumentException(wav + " is not 16 kHz mono 16-bit PCM");
                }
                format = true;
            } else if (id.equals("data") && format) {
                float[] samples = new float[size / 2];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = in.getShort() / 32768f;
                }
                return samples;
            }
            in.position(start + size + (size & 1));
        }
        throw new IllegalArgumentException(wav + " has no PCM data");
    }

    private static String chunkId(ByteBuffer in) {
        byte[] id = new byte[4];
        in.get(id);
        return new String(id, StandardCharsets.US_ASCII);
    }
}
