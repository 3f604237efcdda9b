package io.quarkiverse.asr.whisper.natives.parity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import io.quarkiverse.asr.whisper.natives.FullParams;
import io.quarkiverse.asr.whisper.natives.FullResult;
import io.quarkiverse.asr.whisper.natives.SegmentData;
import io.quarkiverse.asr.whisper.natives.TokenData;

/**
 * {@code whisper_parity.c}, a C program that runs whisper.cpp without Java, compiled with the system gcc against a
 * given libwhisper (the very files the Java binding loaded), and its output parsed for comparison with
 * {@link io.quarkiverse.asr.whisper.natives.WhisperState#full}. Linux only: the program lists the loaded libraries
 * with {@code dl_iterate_phdr}.
 */
public final class WhisperParityProgram {

    private static final String SOURCE = "whisper_parity.c";

    private final Path executable;
    private final Path libraryDir;

    private WhisperParityProgram(Path executable, Path libraryDir) {
        this.executable = executable;
        this.libraryDir = libraryDir;
    }

    /** Whether gcc runs on this Linux machine; the program cannot be built otherwise. */
    public static boolean canBuild() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return false;
        }
        try {
            Process gcc = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            gcc.getInputStream().readAllBytes();
            return gcc.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Compiles the program into {@code workDir}, linked against {@code libwhisper} and, through its RUNPATH, the
     * libggml beside it.
     */
    public static WhisperParityProgram build(Path libwhisper, Path workDir) throws IOException, InterruptedException {
        Path library = libwhisper.toRealPath();
        Files.createDirectories(workDir);
        Path source = workDir.resolve(SOURCE);
        try (InputStream in = WhisperParityProgram.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from the class path");
            }
            Files.write(source, in.readAllBytes());
        }
        Path executable = workDir.resolve("whisper_parity").toAbsolutePath();
        Result gcc = exec(List.of("gcc", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-o", executable.toString(),
                source.toString(), library.toString(), "-Wl,-rpath," + library.getParent()), null);
        if (gcc.exit() != 0) {
            throw new IllegalStateException("gcc failed to build " + SOURCE + ":\n" + gcc.stdout() + gcc.stderr());
        }
        return new WhisperParityProgram(executable, library.getParent());
    }

    /** Writes samples as the program reads them: raw little-endian 32-bit floats. */
    public static Path writeSamples(float[] samples, Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(samples);
        return Files.write(file, bytes.array());
    }

    /**
     * Loads {@code model}, transcribes {@code samples} {@code runs} times in one process and returns the result
     * and the time of each run.
     *
     * @throws IllegalStateException if the program fails, or its runs disagree
     */
    public Output run(Path model, Path samples, Options options, int runs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), model.toString(), samples.toString()));
        command.addAll(options.arguments());
        command.addAll(List.of("--runs", Integer.toString(runs)));
        Result result = exec(command, libraryDir);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + result.exit() + ":\n"
                    + result.stderr());
        }
        return Output.parse(result.stdout());
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    /** Runs {@code command}, reading stdout and stderr apart; {@code libraryDir} becomes the only library path. */
    private static Result exec(List<String> command, Path libraryDir) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (libraryDir != null) {
            // the RUNPATH already points there; this keeps an inherited LD_LIBRARY_PATH from winning for libggml
            builder.environment().put("LD_LIBRARY_PATH", libraryDir.toString());
        }
        Process process = builder.start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
        String stdout = text(process.getInputStream());
        return new Result(process.waitFor(), stdout, stderr.join());
    }

    private static String text(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decoding options that both sides understand: {@link #fullParams()} for the binding, {@link #arguments()} for
     * the program. Unset numbers ({@code null}) keep whisper.cpp's defaults.
     */
    public record Options(FullParams.Strategy strategy, int threads, Integer beamSize, Integer bestOf,
            boolean tokenTimestamps, boolean noTimestamps, int maxLen, boolean splitOnWord, String language) {

        public static Options greedy(int threads) {
            return new Options(FullParams.Strategy.GREEDY, threads, null, null, false, false, 0, false, "en");
        }

        public static Options beamSearch(int threads, int beamSize) {
            return new Options(FullParams.Strategy.BEAM_SEARCH, threads, beamSize, null, false, false, 0, false, "en");
        }

        public FullParams fullParams() {
            return FullParams.builder()
                    .strategy(strategy)
                    .threads(threads)
                    .beamSize(beamSize)
                    .bestOf(bestOf)
                    .tokenTimestamps(tokenTimestamps)
                    .noTimestamps(noTimestamps)
                    .maxLen(maxLen)
                    .splitOnWord(splitOnWord)
                    .language(language)
                    .build();
        }

        public List<String> arguments() {
            List<String> arguments = new ArrayList<>(List.of(
                    "--strategy", strategy == FullParams.Strategy.GREEDY ? "greedy" : "beam",
                    "--threads", Integer.toString(threads),
                    "--token-timestamps", tokenTimestamps ? "1" : "0",
                    "--no-timestamps", noTimestamps ? "1" : "0",
                    "--max-len", Integer.toString(maxLen),
                    "--split-on-word", splitOnWord ? "1" : "0",
                    "--language", language));
            if (beamSize != null) {
                arguments.addAll(List.of("--beam-size", beamSize.toString()));
            }
            if (bestOf != null) {
                arguments.addAll(List.of("--best-of", bestOf.toString()));
            }
            return arguments;
        }
    }

    /**
     * What the program printed.
     *
     * @param processCpuNanos the CPU time of the whole process (starting, loading the model, every run)
     */
    public record Output(List<Path> libraries, List<Run> runs, long processCpuNanos, int languageId,
            List<Segment> segments) {

        /**
         * One run: the wall time of {@code whisper_full_with_state} alone and with setting parameters and reading
         * results, and the CPU time of the calling thread for the latter.
         */
        public record Run(long fullNanos, long callNanos, long callCpuNanos) {
        }

        /** Times in centiseconds; {@code text} as whisper.cpp's bytes. */
        public record Segment(int index, long t0, long t1, byte[] text, List<Token> tokens) {
        }

        /** {@code p} and {@code plog} as the bits of the floats. */
        public record Token(int id, byte[] text, long t0, long t1, int pBits, int plogBits) {
        }

        static Output parse(String stdout) {
            List<Path> libraries = new ArrayList<>();
            List<Run> runs = new ArrayList<>();
            List<Segment> segments = new ArrayList<>();
            List<Token> tokens = null;
            long cpu = -1;
            int language = Integer.MIN_VALUE;
            for (String line : stdout.split("\n")) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "lib" -> libraries.add(Path.of(line.substring(4)));
                    case "run" -> runs.add(new Run(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
                    case "cpu" -> cpu = Long.parseLong(f[1]);
                    case "lang" -> language = Integer.parseInt(f[1]);
                    case "seg" -> {
                        tokens = new ArrayList<>();
                        segments.add(new Segment(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                                bytes(f[4]), tokens));
                    }
                    case "tok" -> tokens.add(new Token(Integer.parseInt(f[3]), bytes(f[4]), Long.parseLong(f[5]),
                            Long.parseLong(f[6]), Integer.parseUnsignedInt(f[7], 16), Integer.parseUnsignedInt(f[8], 16)));
                    default -> throw new IllegalStateException("Unexpected output of " + SOURCE + ": " + line);
                }
            }
            if (language == Integer.MIN_VALUE || runs.isEmpty() || cpu < 0) {
                throw new IllegalStateException(SOURCE + " printed no result:\n" + stdout);
            }
            return new Output(List.copyOf(libraries), List.copyOf(runs), cpu, language, List.copyOf(segments));
        }

        /** "x" and the bytes in hex, as the program prints text. */
        private static byte[] bytes(String field) {
            return HexFormat.of().parseHex(field.substring(1));
        }

        public int tokenCount() {
            return segments.stream().mapToInt(segment -> segment.tokens().size()).sum();
        }

        /**
         * Every way {@code java} differs from this output, empty when they are identical: the language, segment times
         * and texts, and each token's id, text, times and the exact bits of {@code p} and {@code plog}. Texts are
         * compared as the binding decodes whisper.cpp's bytes (UTF-8).
         */
        public List<String> differences(FullResult java) {
            List<String> differences = new ArrayList<>();
            check(differences, "language id", languageId, java.languageId());
            check(differences, "segments", segments.size(), java.segments().size());
            for (int i = 0; i < Math.min(segments.size(), java.segments().size()); i++) {
                Segment c = segments.get(i);
                SegmentData j = java.segments().get(i);
                String at = "segment " + i + " ";
                check(differences, at + "index", c.index(), j.index());
                check(differences, at + "t0", c.t0(), j.t0Centis());
                check(differences, at + "t1", c.t1(), j.t1Centis());
                check(differences, at + "text", utf8(c.text()), j.text());
                check(differences, at + "tokens", c.tokens().size(), j.tokens().size());
                for (int k = 0; k < Math.min(c.tokens().size(), j.tokens().size()); k++) {
                    Token ct = c.tokens().get(k);
                    TokenData jt = j.tokens().get(k);
                    String token = at + "token " + k + " ";
                    check(differences, token + "id", ct.id(), jt.id());
                    check(differences, token + "text", utf8(ct.text()), jt.text());
                    check(differences, token + "t0", ct.t0(), jt.t0Centis());
                    check(differences, token + "t1", ct.t1(), jt.t1Centis());
                    check(differences, token + "p bits", Integer.toHexString(ct.pBits()),
                            Integer.toHexString(Float.floatToRawIntBits(jt.p())));
                    check(differences, token + "plog bits", Integer.toHexString(ct.plogBits()),
                            Integer.toHexString(Float.floatToRawIntBits(jt.plog())));
                }
            }
            return differences;
        }

        private static String utf8(byte[] text) {
            return new String(text, StandardCharsets.UTF_8);
        }

        private static void check(List<String> differences, String what, Object c, Object java) {
            if (!c.equals(java)) {
                differences.add(what + ": C " + c + ", Java " + java);
            }
        }
    }
}
