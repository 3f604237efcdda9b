package io.quarkiverse.asr.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.whisper.natives.ContextParams;
import io.quarkiverse.asr.whisper.natives.FullCallbacks;
import io.quarkiverse.asr.whisper.natives.FullParams;
import io.quarkiverse.asr.whisper.natives.FullResult;
import io.quarkiverse.asr.whisper.natives.WhisperContext;
import io.quarkiverse.asr.whisper.natives.WhisperLibrary;
import io.quarkiverse.asr.whisper.natives.WhisperState;
import io.quarkiverse.asr.whisper.natives.parity.WhisperParityProgram;
import io.quarkiverse.asr.whisper.natives.parity.WhisperParityProgram.Options;
import io.quarkiverse.asr.whisper.natives.parity.WhisperParityProgram.Output;
import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.ComputeBackend;
import io.quarkiverse.asr.whisper.runtime.WhisperSettings;

/**
 * Measures, on one model and machine, and prints as Markdown tables:
 * <ol>
 * <li>the FFM binding's {@code WhisperState.full} against {@code whisper_full_with_state} timed inside the C parity
 * program, on the same samples, libraries, model and threads, runs interleaved (model loading excluded on both
 * sides);</li>
 * <li>a subprocess per request (the C program, loading the model each time) against the FFM binding with a loaded
 * model, on 10 s clips;</li>
 * <li>the whisper provider's throughput and latency with 1, 2 and 4 concurrent requests.</li>
 * </ol>
 * Java's and C's results are compared token for token, so that both sides are known to do the same work; a difference
 * stops the harness. Run with
 * {@code --enable-native-access=ALL-UNNAMED}; see {@code docs/benchmarks.md}.
 */
public final class WhisperBenchmarks {

    private static final int RATE = WhisperAsrProvider.SAMPLE_RATE;

    private record Clip(String name, float[] samples) {
        double seconds() {
            return samples.length / (double) RATE;
        }
    }

    private final BenchmarkConfig config;
    private final PrintStream out;
    private final WhisperLibrary library;
    private final Path model;
    private final WhisperParityProgram program;
    private final Options options;

    private WhisperBenchmarks(BenchmarkConfig config, PrintStream out) throws IOException, InterruptedException {
        if (!WhisperParityProgram.canBuild()) {
            throw new IllegalStateException("The benchmarks compile a C program and need gcc on Linux");
        }
        this.config = config;
        this.out = out;
        this.library = WhisperLibrary.bundled();
        this.model = config.model().isPresent() ? config.model().get()
                : RandomWeightModel.write(config.shared().resolve("models/for-tests-ggml-tiny.en.bin"),
                        config.work().resolve("random-weights-" + config.dims() + "-42.bin"), 42, config.generatedDims());
        this.program = WhisperParityProgram.build(library.libraryFile(), config.work().resolve("c"));
        this.options = Options.greedy(config.threads());
    }

    public static void main(String[] args) throws Exception {
        run(BenchmarkConfig.parse(System.getenv("WHISPER_TEST_MODEL"), args), System.out);
    }

    /** Runs every measurement and prints the tables to {@code out}. */
    static void run(BenchmarkConfig config, PrintStream out) throws Exception {
        new WhisperBenchmarks(config, out).all();
    }

    private void all() throws Exception {
        float[] jfk = decode("audio/jfk.wav");
        float[] longForm = decode("audio/synthetic/long-form.wav");
        List<Clip> tenSeconds = List.of(
                new Clip("jfk.wav 0-10 s", cut(jfk, 0)),
                new Clip("long-form.wav 0-10 s", cut(longForm, 0)),
                new Clip("long-form.wav 30-40 s", cut(longForm, 30)));
        try (WhisperContext context = library.loadModel(model, ContextParams.defaults());
                WhisperState state = context.newState()) {
            machine(context);
            ffmVersusC(state, List.of(new Clip("jfk.wav", jfk), tenSeconds.get(2)));
            subprocess(state, tenSeconds);
        }
        throughput(tenSeconds);
    }

    private float[] decode(String file) {
        return AudioInput.of(config.shared().resolve(file)).decode(RATE).samples();
    }

    private static float[] cut(float[] samples, int startSeconds) {
        return Arrays.copyOfRange(samples, startSeconds * RATE, (startSeconds + 10) * RATE);
    }

    private void machine(WhisperContext context) throws IOException {
        String cpu;
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown");
        }
        out.printf("- CPU: %s, %d cores available to the JVM%n", cpu, Runtime.getRuntime().availableProcessors());
        out.printf("- whisper.cpp %s, bundled build %s (%s)%n", library.version(), library.variant(),
                library.libraryFile().getParent());
        out.printf("- model: %s (%d bytes, whisper.cpp type \"%s\")%n", model.getFileName(), Files.size(model),
                context.modelType());
        out.printf("- JDK %s; %d whisper.cpp thread(s) per transcription; greedy decoding%n", Runtime.version(),
                config.threads());
        out.printf("- %d rounds, %d runs per side and round in (a); %d requests per level in (c)%n%n", config.rounds(),
                config.runs(), config.requests());
    }

    /**
     * (a) the FFM call against the C program's own timing, interleaved, each side's first call left out: wall time, and
     * with one thread also the calling thread's CPU time, which other processes on the machine disturb less.
     */
    private void ffmVersusC(WhisperState state, List<Clip> clips) throws Exception {
        FullParams params = options.fullParams();
        List<String> wallRows = new ArrayList<>();
        List<String> cpuRows = new ArrayList<>();
        for (Clip clip : clips) {
            Path samples = samplesFile(clip);
            // left out, as each C process's first run
            FullResult result = state.full(clip.samples(), params, FullCallbacks.NONE);
            Output c = null;
            List<Long> cFull = new ArrayList<>();
            Comparison wall = new Comparison();
            Comparison cpu = new Comparison();
            for (int round = 0; round < config.rounds(); round++) {
                for (boolean cSide : sides(round)) {
                    if (cSide) {
                        c = program.run(model, samples, options, config.runs() + 1);
                        for (Output.Run run : c.runs().subList(1, c.runs().size())) {
                            cFull.add(run.fullNanos());
                            wall.base(run.callNanos());
                            cpu.base(run.callCpuNanos());
                        }
                    } else {
                        for (int i = 0; i < config.runs(); i++) {
                            Timed<FullResult> timed = timed(() -> state.full(clip.samples(), params, FullCallbacks.NONE));
                            result = timed.value();
                            wall.measured(timed.nanos());
                            cpu.measured(timed.cpuNanos());
                        }
                    }
                }
                wall.endRound();
                cpu.endRound();
            }
            verify(clip, result, c);
            String input = String.format("%s (%.1f s, %d tokens)", clip.name(), clip.seconds(), c.tokenCount());
            wallRows.add(String.format("| %s | %s ms | %s |", input, Stats.millis(Stats.median(cFull)), wall.row()));
            cpuRows.add(String.format("| %s | %s |", input, cpu.row()));
        }
        table("(a) FFM binding vs. C, in process, model loaded: wall time", "input", "C whisper_full, median",
                "C call, median / min", "Java full(), median / min", "FFM overhead (median of rounds)",
                "FFM overhead (min / min)");
        rows(wallRows);
        if (config.threads() == 1) {
            table("(a) the same runs: CPU time of the calling thread", "input", "C call, median / min",
                    "Java full(), median / min", "FFM overhead (median of rounds)", "FFM overhead (min / min)");
            rows(cpuRows);
        }
    }

    /**
     * (b) a process per request, model loading included, against the binding with a loaded model: wall time, and with
     * one thread also CPU time (all of the child process, the calling thread in process).
     */
    private void subprocess(WhisperState state, List<Clip> clips) throws Exception {
        FullParams params = options.fullParams();
        List<String> wallRows = new ArrayList<>();
        List<String> cpuRows = new ArrayList<>();
        for (Clip clip : clips) {
            Output c = null;
            FullResult result = null;
            List<Long> spawnedFull = new ArrayList<>();
            Comparison wall = new Comparison();
            Comparison cpu = new Comparison();
            for (int round = 0; round < config.rounds(); round++) {
                for (boolean cSide : sides(round)) {
                    if (cSide) {
                        // the route as a service would take it: hand over the samples, start, load, transcribe
                        Timed<Output> timed = timed(() -> program.run(model, samplesFile(clip), options, 1));
                        c = timed.value();
                        spawnedFull.add(c.runs().getFirst().fullNanos());
                        wall.measured(timed.nanos());
                        cpu.measured(c.processCpuNanos());
                    } else {
                        Timed<FullResult> timed = timed(() -> state.full(clip.samples(), params, FullCallbacks.NONE));
                        result = timed.value();
                        wall.base(timed.nanos());
                        cpu.base(timed.cpuNanos());
                    }
                }
                wall.endRound();
                cpu.endRound();
            }
            verify(clip, result, c);
            String input = String.format("%s (%d tokens)", clip.name(), c.tokenCount());
            wallRows.add(String.format("| %s | %s ms | %s |", input, Stats.millis(Stats.median(spawnedFull)), wall.row()));
            cpuRows.add(String.format("| %s | %s |", input, cpu.row()));
        }
        table("(b) subprocess per request vs. FFM in process: wall time", "10 s clip",
                "whisper_full in the subprocess (C's timing), median", "FFM in process, median / min",
                "subprocess per request, median / min", "subprocess extra (median of rounds)", "subprocess extra (min / min)");
        rows(wallRows);
        if (config.threads() == 1) {
            table("(b) the same runs: CPU time", "10 s clip", "FFM in process (calling thread), median / min",
                    "subprocess (whole process), median / min", "subprocess extra (median of rounds)",
                    "subprocess extra (min / min)");
            rows(cpuRows);
        }
    }

    /** Which side goes first alternates by round, so that a drifting machine does not favour one: true is C's. */
    private static List<Boolean> sides(int round) {
        return round % 2 == 0 ? List.of(true, false) : List.of(false, true);
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private record Timed<T>(T value, long nanos, long cpuNanos) {
    }

    /** Wall time and the calling thread's CPU time of {@code work}. */
    private static <T> Timed<T> timed(Work<T> work) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        T value = work.run();
        long nanos = System.nanoTime() - start;
        return new Timed<>(value, nanos, threads.getCurrentThreadCpuTime() - cpuStart);
    }

    /** A base and a measured side, and the ratio measured / base of each round's medians. */
    private static final class Comparison {
        private final List<Long> base = new ArrayList<>();
        private final List<Long> measured = new ArrayList<>();
        private final List<Double> ratios = new ArrayList<>();
        private int roundStartBase;
        private int roundStartMeasured;

        void base(long nanos) {
            base.add(nanos);
        }

        void measured(long nanos) {
            measured.add(nanos);
        }

        void endRound() {
            ratios.add(Stats.median(measured.subList(roundStartMeasured, measured.size()))
                    / Stats.median(base.subList(roundStartBase, base.size())));
            roundStartBase = base.size();
            roundStartMeasured = measured.size();
        }

        /** Base median / min, measured median / min, the extra from the rounds' ratios and from the minimums. */
        String row() {
            return String.format("%s / %s ms | %s / %s ms | %+.2f %% | %+.2f %%", Stats.millis(Stats.median(base)),
                    Stats.millis(Stats.min(base)), Stats.millis(Stats.median(measured)), Stats.millis(Stats.min(measured)),
                    (Stats.median(ratios) - 1) * 100, (Stats.min(measured) / Stats.min(base) - 1) * 100);
        }
    }

    /** (c) requests through the provider's worker pool from as many clients as it has workers. */
    private void throughput(List<Clip> clips) throws Exception {
        table("(c) provider throughput, 10 s clips", "max concurrent", "requests", "wall", "requests/s",
                "audio s per s", "latency median", "latency p90", "latency max");
        TranscriptionOptions decoding = TranscriptionOptions.builder().language("en").build();
        for (int workers : config.concurrency()) {
            WhisperSettings settings = new WhisperSettings(Optional.empty(), Optional.empty(), ComputeBackend.CPU, 0,
                    Optional.empty(), true, workers, config.requests(), Optional.empty(), config.threads(), decoding);
            try (WhisperAsrProvider provider = WhisperAsrProvider.create(model, settings)) {
                // one request per worker first, so that each has its decoding state
                clients(provider, clips, workers, workers);
                long start = System.nanoTime();
                List<Long> latencies = clients(provider, clips, workers, config.requests());
                double wallSeconds = (System.nanoTime() - start) / 1e9;
                double audioSeconds = config.requests() * clips.getFirst().seconds();
                out.printf("| %d | %d | %.2f s | %.2f | %.1f | %s ms | %s ms | %s ms |%n", workers, config.requests(),
                        wallSeconds, config.requests() / wallSeconds, audioSeconds / wallSeconds,
                        Stats.millis(Stats.median(latencies)), Stats.millis(Stats.percentile(latencies, 90)),
                        Stats.millis(Stats.percentile(latencies, 100)));
            }
        }
        out.println();
    }

    /** {@code clients} threads send {@code requests} requests in all, each waiting for its answer; the latencies. */
    private static List<Long> clients(WhisperAsrProvider provider, List<Clip> clips, int clients, int requests)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().name("benchmark-client-" + i).start(() -> {
                for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                    Clip clip = clips.get(n % clips.size());
                    long start = System.nanoTime();
                    provider.transcribe(AudioInput.ofSamples(clip.samples(), RATE)).await().indefinitely();
                    latencies.add(System.nanoTime() - start);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (latencies.size() != requests) {
            throw new IllegalStateException(requests - latencies.size() + " requests failed (see the log)");
        }
        return latencies;
    }

    private void rows(List<String> rows) {
        rows.forEach(out::println);
        out.println();
    }

    /** A heading and the head of a Markdown table. */
    private void table(String title, String... columns) {
        out.printf("### %s%n%n| %s |%n|%s%n", title, String.join(" | ", columns), "---|".repeat(columns.length));
    }

    private Path samplesFile(Clip clip) throws IOException {
        return WhisperParityProgram.writeSamples(clip.samples(),
                config.work().resolve("c").resolve(clip.name().replaceAll("[^A-Za-z0-9.-]+", "_") + ".f32"));
    }

    /** Timings compare only when both sides produced the same tokens. */
    private static void verify(Clip clip, FullResult java, Output c) {
        List<String> differences = c.differences(java);
        if (!differences.isEmpty()) {
            throw new IllegalStateException("Java and C differ on " + clip.name() + ": "
                    + differences.subList(0, Math.min(10, differences.size())));
        }
    }
}
