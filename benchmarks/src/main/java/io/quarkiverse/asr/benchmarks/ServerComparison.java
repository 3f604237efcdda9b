package io.quarkiverse.asr.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;
import io.quarkiverse.asr.whisper.runtime.ComputeBackend;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperSettings;

/**
 * The project against the real {@code whisper-server} from {@code ../shared/whisper.cpp/}, on the same model, audio,
 * number of whisper.cpp threads and flash attention setting, in interleaved rounds: requests/s, latency, CPU time per
 * request, resident memory idle and after the rounds, and start-up to ready, for each number of clients. The project is
 * the packaged demo application ({@code --app jar}, the default: a JVM of its own with the documented JVM options,
 * uploads to {@code /v1/audio/transcriptions}) or the whisper provider in this JVM ({@code --app in-process}). Each
 * client sends its next request when the last one is answered; before the rounds, each side serves {@code --warm-up}
 * requests, so that the JVM's JIT has compiled the request's path. Both servers listen on free loopback ports and are
 * stopped at the end; the whole run stops early, with the rows it has, once {@code --minutes} have passed.
 * <p>
 * The project runs {@code cores / threads} workers (at least one), so that both sides use the machine's cores;
 * whisper-server transcribes one request at a time. With the packaged application, the time each request spends
 * outside {@code whisper_full} is measured too: the application logs each call's time at DEBUG, and the harness
 * subtracts it from the latency its client sees, one request at a time on a 4.9 s clip.
 */
public final class ServerComparison {

    static final String USAGE = "usage: ServerComparison [--quick] [--app jar|in-process] [--jar PATH]"
            + " [--jvm-options 'OPTIONS', by default those of integration-tests/jvm.options] [--shared DIR]"
            + " [--model PATH|tiny]"
            + " [--library bundled,1.9.3,PATH...] [--threads 1,2] [--clients 1,2,4] [--requests 8] [--rounds 2]"
            + " [--warm-up 300] [--overhead-requests 8] [--minutes 20] [--work DIR]"
            + " [--flash-attention default|false|true] [--aot-cache on|off]";

    /** The clip whose requests measure the time outside whisper_full: 4.9 s, the longest of the sentences. */
    private static final String OVERHEAD_CLIP = "s18.wav";
    private static final Pattern WHISPER_FULL = Pattern.compile(
            "whisper_full took ([0-9.]+) ms, ([0-9.]+) ms CPU on the calling thread");
    private static final Pattern FLASH_ATTENTION = Pattern.compile(
            "Loaded whisper model .* with whisper\\.cpp (\\S+) .* flash attention (on|off)");

    /** A sentence's WAV, and the multipart upload that carries it, made once rather than per request. */
    private record Clip(String name, byte[] wav, byte[] upload) {
        Clip(String name, byte[] wav) {
            this(name, wav, ServerProcess.multipart(name, wav));
        }
    }

    /** One side's measurements of one (threads, clients) cell, over all rounds. */
    private static final class Cell {
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final List<Double> requestsPerSecond = new ArrayList<>();
        long cpuNanos;
        int requests;
        long rssKb;
    }

    private interface Side extends AutoCloseable {
        String name();

        /** whisper.cpp's version on this side. */
        String version();

        /** Transcribes one clip, failing on an error or an empty text. */
        void transcribe(Clip clip) throws Exception;

        long cpuNanos() throws IOException;

        long rssKb() throws IOException;

        /** From the process's start to its first answer; 0 in process. */
        Duration startUp();

        @Override
        void close() throws Exception;
    }

    private ServerComparison() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--shared", "../shared", "--library", "bundled",
                "--threads", "1,2", "--clients", "1,2,4", "--requests", "8", "--rounds", "2", "--minutes", "20",
                "--work", "target/server-comparison", "--flash-attention", "default"));
        options.putAll(Map.of("--app", "jar", "--jar", "integration-tests/target/quarkus-app/quarkus-run.jar",
                "--overhead-requests", "8", "--warm-up", "300", "--aot-cache", "on"));
        List<String> arguments = new ArrayList<>(List.of(args));
        if (arguments.remove("--quick")) {
            // the main rows, in about 12 minutes on a quiet 2-core machine (most of it the warm-up)
            options.putAll(Map.of("--library", "bundled,1.9.3", "--clients", "1,4", "--requests", "12", "--rounds", "2"));
        }
        if (arguments.size() % 2 != 0) {
            throw new IllegalArgumentException(USAGE);
        }
        for (int i = 0; i < arguments.size(); i += 2) {
            if (!options.containsKey(arguments.get(i)) && !List.of("--model", "--jvm-options").contains(arguments.get(i))) {
                throw new IllegalArgumentException("Unknown option " + arguments.get(i) + "; " + USAGE);
            }
            options.put(arguments.get(i), arguments.get(i + 1));
        }
        Path shared = Path.of(options.get("--shared")).toAbsolutePath().normalize();
        Path work = Path.of(options.get("--work")).toAbsolutePath();
        Files.createDirectories(work);
        String modelOption = options.getOrDefault("--model", "");
        Path model = modelOption.equals("tiny")
                // whisper's tiny dimensions with seeded random weights: full-size compute, text without meaning
                ? RandomWeightModel.write(shared.resolve("models/for-tests-ggml-tiny.en.bin"),
                        work.resolve("random-weights-tiny-42.bin"), 42,
                        new RandomWeightModel.Dims(384, 6, 4, 384, 6, 4))
                : Path.of(modelOption.isEmpty() ? shared.resolve("models/for-tests-ggml-espeak-mini.en.bin").toString()
                        : modelOption).toAbsolutePath();
        Path server = shared.resolve("whisper.cpp/1.9.3/linux-x86_64/whisper-server");
        List<Clip> clips = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            Path wav = shared.resolve(String.format("audio/synthetic/s%02d.wav", i));
            clips.add(new Clip(wav.getFileName().toString(), Files.readAllBytes(wav)));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(Long.parseLong(options.get("--minutes"))).toNanos();
        PrintStream out = System.out;
        boolean jar = options.get("--app").equals("jar");
        if (jar && !options.containsKey("--jvm-options")) {
            // the demo's own: the launcher and the README use the same file
            options.put("--jvm-options", Files.readString(Path.of("integration-tests/jvm.options")).strip());
        }
        if (!jar && !options.get("--app").equals("in-process")) {
            throw new IllegalArgumentException("--app is jar or in-process; " + USAGE);
        }
        List<String> libraries = List.of(options.get("--library").split(","));
        if (!jar && libraries.size() > 1) {
            throw new IllegalArgumentException("A JVM loads one whisper.cpp library: one --library with --app in-process");
        }
        Path application = jar ? packageWith(Path.of(options.get("--jar")).toAbsolutePath(), model, work) : null;
        if (jar && options.get("--aot-cache").equals("on")) {
            // as the demo's launcher runs it: with an AOT cache of a served transcription's classes
            Path cache = work.resolve("app.aot");
            App.recordCache(application, options.get("--jvm-options"), cache, work, clips.get(0));
            options.put("--jvm-options", options.get("--jvm-options") + " -XX:AOTCache=" + cache);
        }
        out.printf("Model %s; %d clips from audio/synthetic; %s; %d cores; load average %s at start; %s; %s%n%n",
                model.getFileName(), clips.size(), server, Runtime.getRuntime().availableProcessors(), loadAverage(),
                Optional.ofNullable(System.getenv("GOMP_SPINCOUNT")).map(v -> "GOMP_SPINCOUNT=" + v)
                        .orElse("GOMP_SPINCOUNT unset"),
                jar ? "the packaged application " + application + " with " + options.get("--jvm-options")
                        : "the provider in this JVM");
        List<String> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String flashOption = options.get("--flash-attention");
        Optional<Boolean> flashAttention = flashOption.equals("default") ? Optional.empty()
                : Optional.of(Boolean.parseBoolean(flashOption));
        for (String library : libraries) {
            Optional<Path> libraryPath = switch (library) {
                case "bundled" -> Optional.empty();
                // the build whisper-server comes from
                case "1.9.3" -> Optional.of(server.resolveSibling("libwhisper.so.1"));
                default -> Optional.of(Path.of(library).toAbsolutePath().normalize());
            };
            for (int threads : numbers(options.get("--threads"))) {
                if (System.nanoTime() > deadline) {
                    notes.add(String.format("Stopped before %s, threads %d: --minutes %s passed.", library, threads,
                            options.get("--minutes")));
                    break;
                }
                int workers = Math.max(1, Runtime.getRuntime().availableProcessors() / threads);
                try (Side project = jar
                        ? App.start(application, options.get("--jvm-options"), libraryPath, work, threads, workers,
                                flashAttention)
                        : InProcess.create(model, libraryPath, work, threads, workers, flashAttention);
                        WhisperServer whisperServer = WhisperServer.start(server, model, threads,
                                project instanceof App app ? app.flashAttention : ((InProcess) project).flashAttention())) {
                    List<Side> sides = List.of(whisperServer, project);
                    Map<Side, Long> idleRss = new LinkedHashMap<>();
                    for (Side side : sides) {
                        idleRss.put(side, side.rssKb());
                    }
                    for (Side side : sides) {
                        // warm up: one request alone (Mutiny's first use is not safe from two threads at once), then
                        // enough for the JIT to have compiled the request's path, so that the rounds compare the
                        // steady states of two long-running servers (with C1 alone and one compiler thread, the
                        // methods run once per request are compiled only after a few hundred requests)
                        run(side, clips, 1, 1, new Cell());
                        run(side, clips, workers, Math.max(2 * workers, Integer.parseInt(options.get("--warm-up"))),
                                new Cell());
                    }
                    settle(sides);
                    List<Integer> clientCounts = numbers(options.get("--clients"));
                    Map<String, Cell> cells = new LinkedHashMap<>();
                    int rounds = Integer.parseInt(options.get("--rounds"));
                    for (int round = 0; round < rounds; round++) {
                        if (System.nanoTime() > deadline) {
                            notes.add(String.format("Stopped after %d of %d rounds at %s, threads %d: --minutes %s"
                                    + " passed.", round, rounds, library, threads, options.get("--minutes")));
                            break;
                        }
                        for (int clients : clientCounts) {
                            // the side that goes first alternates, so that a slow drift of the machine hits both alike
                            List<Side> order = round % 2 == 0 ? sides : sides.reversed();
                            for (Side side : order) {
                                Cell cell = cells.computeIfAbsent(clients + " " + side.name(), key -> new Cell());
                                run(side, clips, clients, Integer.parseInt(options.get("--requests")), cell);
                                cell.rssKb = side.rssKb();
                            }
                        }
                    }
                    for (int clients : clientCounts) {
                        for (Side side : sides) {
                            Cell cell = cells.get(clients + " " + side.name());
                            if (cell != null) {
                                rows.add(String.format(
                                        "| %s | %d | %d | %s | %d | %s | %s ms | %s ms | %s ms | %s ms | %d MB | %d MB |",
                                        side.version(), threads, clients, side.name(), cell.requests,
                                        String.join(", ", cell.requestsPerSecond.stream()
                                                .map(r -> String.format("%.2f", r)).toList()),
                                        Stats.millis(Stats.median(cell.latencies)),
                                        Stats.millis(Stats.percentile(cell.latencies, 90)),
                                        Stats.millis(Stats.percentile(cell.latencies, 100)),
                                        Stats.millis((double) cell.cpuNanos / cell.requests), idleRss.get(side) / 1024,
                                        cell.rssKb / 1024));
                            }
                        }
                    }
                    String startUp = String.format("start-up to ready: whisper-server %d ms, %s %d ms",
                            whisperServer.startUp().toMillis(), project.name(), project.startUp().toMillis());
                    notes.add(String.format("%s, threads %d: %s%s.", project.version(), threads, startUp,
                            project instanceof App app
                                    ? "; " + app.outsideWhisperFull(clips, Integer.parseInt(options.get(
                                            "--overhead-requests")), threads)
                                    : ""));
                    out.println(notes.getLast());
                }
            }
        }
        out.printf("%nLoad average %s at the end.%n%n", loadAverage());
        out.println("| library | threads | clients | side | requests | requests/s (each round) | latency p50 | p90 | max"
                + " | CPU per request | RSS idle | RSS after |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(out::println);
        out.println();
        notes.forEach(note -> out.println("- " + note));
    }

    /**
     * Waits (at most a minute) until no side uses more than one clock tick (10 ms) of CPU in half a second: after its
     * warm-up the JVM's compiler is still working off its queue for a while, and on 2 cores that would slow whichever
     * side runs the first round.
     */
    private static void settle(List<Side> sides) throws Exception {
        for (int attempt = 0; attempt < 120; attempt++) {
            long[] before = new long[sides.size()];
            for (int i = 0; i < sides.size(); i++) {
                before[i] = sides.get(i).cpuNanos();
            }
            Thread.sleep(500);
            boolean quiet = true;
            for (int i = 0; i < sides.size(); i++) {
                quiet &= sides.get(i).cpuNanos() - before[i] <= 10_000_000L;
            }
            if (quiet) {
                return;
            }
        }
    }

    private static String loadAverage() throws IOException {
        String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return load[0] + " " + load[1] + " " + load[2];
    }

    /**
     * The packaged application, or a copy of it whose {@code asr-models/} holds {@code model} under the name of the model
     * it was built with (hard links, so no bytes are copied): the model is fixed at build time, and a package uses the
     * file in its {@code asr-models/} at start-up.
     */
    private static Path packageWith(Path jar, Path model, Path work) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package the demo first (./mvnw install -DskipTests)");
        }
        Path app = jar.getParent();
        List<Path> packaged;
        try (Stream<Path> files = Files.list(app.resolve("asr-models"))) {
            packaged = files.toList();
        }
        if (packaged.size() != 1) {
            throw new IllegalStateException(app + "/asr-models should hold one model, holds " + packaged);
        }
        if (Files.isSameFile(packaged.getFirst(), model) || Files.mismatch(packaged.getFirst(), model) == -1) {
            return jar;
        }
        Path copy = work.resolve("app-" + model.getFileName());
        if (Files.exists(copy)) {
            try (Stream<Path> old = Files.walk(copy)) {
                for (Path path : old.sorted(Collections.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        try (Stream<Path> files = Files.walk(app)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(app.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    link(source.equals(packaged.getFirst()) ? model : source, target);
                }
            }
        }
        return copy.resolve(jar.getFileName());
    }

    private static void link(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    /** {@code clients} threads send {@code requests} requests in all; adds the latencies, rate and CPU to {@code cell}. */
    private static void run(Side side, List<Clip> clips, int clients, int requests, Cell cell) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long cpu = side.cpuNanos();
        long start = System.nanoTime();
        List<Thread> threads = IntStream.range(0, clients).mapToObj(i -> Thread.ofPlatform().start(() -> {
            for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                Clip clip = clips.get(n % clips.size());
                long sent = System.nanoTime();
                try {
                    side.transcribe(clip);
                } catch (Exception e) {
                    failures.add(e);
                    return;
                }
                cell.latencies.add(System.nanoTime() - sent);
            }
        })).toList();
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " requests to " + side.name() + " failed",
                    failures.getFirst());
        }
        cell.requestsPerSecond.add(requests / ((System.nanoTime() - start) / 1e9));
        cell.cpuNanos += side.cpuNanos() - cpu;
        cell.requests += requests;
    }

    /** The whisper provider in this JVM. */
    private record InProcess(WhisperAsrProvider provider, int workers) implements Side {

        static InProcess create(Path model, Optional<Path> library, Path work, int threads, int workers,
                Optional<Boolean> flashAttention) {
            WhisperSettings settings = new WhisperSettings(library, Optional.of(work.resolve("native-cache")),
                    ComputeBackend.CPU, 0, flashAttention, true, workers, 16, Optional.empty(), threads,
                    TranscriptionOptions.builder().language("en").build());
            return new InProcess(WhisperAsrProvider.create(model, settings), workers);
        }

        boolean flashAttention() {
            return Boolean.parseBoolean(provider.info().details().get("flashAttention"));
        }

        @Override
        public String name() {
            return "this JVM, " + workers + (workers == 1 ? " worker" : " workers");
        }

        @Override
        public String version() {
            return provider.info().details().get("libraryVersion");
        }

        @Override
        public void transcribe(Clip clip) {
            if (provider.transcribe(AudioInput.of(clip.wav(), clip.name())).await().indefinitely().text().isBlank()) {
                throw new IllegalStateException(name() + " returned no text for " + clip.name());
            }
        }

        @Override
        public long cpuNanos() {
            // the whole JVM, JIT, GC and the harness's clients included
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        @Override
        public long rssKb() throws IOException {
            return ProcStatus.rssKb(Path.of("/proc/self/status"));
        }

        @Override
        public Duration startUp() {
            return Duration.ZERO;
        }

        @Override
        public void close() {
            provider.close();
        }
    }

    /** A server in a process of its own on a free loopback port, reached by multipart uploads, stopped on close. */
    private abstract static class ServerProcess implements Side {
        private static final String BOUNDARY = "benchmark-boundary";
        static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
        final Process process;
        final Path log;
        final URI transcribe;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private Duration startUp;

        ServerProcess(ProcessBuilder command, String what, int port, String transcribePath, String readyPath)
                throws Exception {
            log = Files.createTempFile(what, ".log");
            long started = System.nanoTime();
            process = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            transcribe = URI.create("http://127.0.0.1:" + port + transcribePath);
            URI ready = URI.create("http://127.0.0.1:" + port + readyPath);
            long deadline = started + Duration.ofMinutes(2).toNanos();
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200) {
                        startUp = Duration.ofNanos(System.nanoTime() - started);
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException(what + " did not start; its output:\n" + Files.readString(log));
                }
                Thread.sleep(10);
            }
        }

        static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        @Override
        public void transcribe(Clip clip) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(transcribe).header("Content-Type", CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(clip.upload())).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            check(clip, response.statusCode(), response.body());
        }

        /** The upload's body: {@code response_format=json} and the WAV as {@code file}. */
        static byte[] multipart(String name, byte[] wav) {
            byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\njson\r\n"
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                    + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] body = Arrays.copyOf(head, head.length + wav.length + tail.length);
            System.arraycopy(wav, 0, body, head.length, wav.length);
            System.arraycopy(tail, 0, body, head.length + wav.length, tail.length);
            return body;
        }

        /** Fails on an error or an answer without text. */
        void check(Clip clip, int status, String body) {
            if (status != 200 || !body.contains("\"text\"") || body.replace(" ", "").contains("\"text\":\"\"")) {
                throw new IllegalStateException(name() + " answered " + status + " for " + clip.name() + ": " + body);
            }
        }

        @Override
        public long cpuNanos() throws IOException {
            // utime and stime, fields 14 and 15, in clock ticks (100 per second on Linux)
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        }

        @Override
        public long rssKb() throws IOException {
            return ProcStatus.rssKb(Path.of("/proc/" + process.pid() + "/status"));
        }

        @Override
        public Duration startUp() {
            return startUp;
        }

        @Override
        public void close() throws Exception {
            stop(Duration.ofSeconds(10));
            Files.deleteIfExists(log);
        }

        /** Asks the process to stop and waits for it up to {@code grace}, then kills it; its log stays. */
        void stop(Duration grace) throws Exception {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The real whisper-server; ready once it answers {@code /}, which it does after loading the model. */
    private static final class WhisperServer extends ServerProcess {

        private WhisperServer(ProcessBuilder command, int port) throws Exception {
            super(command, "whisper-server", port, "/inference", "/");
        }

        static WhisperServer start(Path binary, Path model, int threads, boolean flashAttention) throws Exception {
            int port = freePort();
            return new WhisperServer(new ProcessBuilder(binary.toString(), "-m", model.toString(), "-t",
                    Integer.toString(threads), flashAttention ? "-fa" : "-nfa", "-l", "en", "--host", "127.0.0.1",
                    "--port", Integer.toString(port)), port);
        }

        @Override
        public String name() {
            return "whisper-server";
        }

        @Override
        public String version() {
            return "1.9.3";
        }
    }

    /**
     * The packaged demo application with the OpenAI-compatible API, ready once {@code /q/health/ready} answers 200 (the
     * model is loaded at start-up).
     */
    private static final class App extends ServerProcess {
        final int workers;
        final boolean flashAttention;
        final String version;

        private App(ProcessBuilder command, int port, int workers) throws Exception {
            super(command, "app", port, "/v1/audio/transcriptions", "/q/health/ready");
            this.workers = workers;
            Matcher loaded = FLASH_ATTENTION.matcher(Files.readString(log));
            if (!loaded.find()) {
                throw new IllegalStateException("The application did not log its model load:\n" + Files.readString(log));
            }
            version = loaded.group(1);
            flashAttention = loaded.group(2).equals("on");
        }

        /**
         * Records the JVM's AOT cache (JDK 25) of the application's start and a served transcription into {@code cache}:
         * the JVM started with {@code -XX:AOTCacheOutput} writes it when it exits, as the demo's launcher records its
         * own. The cache holds the classes that the start and the HTTP path load, so later starts map them.
         */
        static void recordCache(Path jar, String jvmOptions, Path cache, Path work, Clip clip) throws Exception {
            Files.deleteIfExists(cache);
            try (App app = start(jar, jvmOptions + " -XX:AOTCacheOutput=" + cache, Optional.empty(), work, 1, 1,
                    Optional.empty())) {
                app.transcribe(clip);
                // the JVM writes the cache at its exit, by a second JVM of its own: seconds on 2 cores
                app.stop(Duration.ofMinutes(2));
                if (!Files.isRegularFile(cache)) {
                    // the output holds why: the JVM reports a failed cache as it exits
                    throw new IllegalStateException("The application made no AOT cache; its output:\n"
                            + Files.readString(app.log));
                }
            }
        }

        static App start(Path jar, String jvmOptions, Optional<Path> library, Path work, int threads, int workers,
                Optional<Boolean> flashAttention) throws Exception {
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(List.of(jvmOptions.strip().split("\\s+")));
            command.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.asr.whisper.threads=" + threads,
                    "-Dquarkus.asr.whisper.max-concurrent-requests=" + workers,
                    "-Dquarkus.asr.whisper.max-queued-requests=16", "-Dquarkus.asr.whisper.language=en",
                    "-Dquarkus.asr.whisper.native-cache-dir=" + work.resolve("native-cache"),
                    "-Dquarkus.log.category.\"io.quarkiverse.asr.whisper.runtime.WhisperEngine\".level=DEBUG"));
            library.ifPresent(path -> command.add("-Dquarkus.asr.whisper.library-path=" + path));
            flashAttention.ifPresent(on -> command.add("-Dquarkus.asr.whisper.flash-attention=" + on));
            command.addAll(List.of("-jar", jar.toString()));
            return new App(new ProcessBuilder(command), port, workers);
        }

        @Override
        public String name() {
            return "app, " + workers + (workers == 1 ? " worker" : " workers");
        }

        @Override
        public String version() {
            return version;
        }

        /**
         * One request at a time on the 4.9 s clip: the latency the client sees against the time of the
         * {@code whisper_full} call the application logs for it. The requests go out as prepared bytes on one
         * kept-alive connection ({@link RawHttpClient}), so that the client's own work (the JDK's HTTP client takes a
         * few milliseconds a request) is not counted as the application's.
         */
        String outsideWhisperFull(List<Clip> clips, int requests, int threads) throws Exception {
            Clip clip = clips.stream().filter(c -> c.name().equals(OVERHEAD_CLIP)).findFirst().orElseThrow();
            List<Long> latencies = new ArrayList<>();
            List<Double> outside = new ArrayList<>();
            double latencyMillis = 0;
            double outsideMillis = 0;
            double fullCpuMillis = 0;
            long cpu = cpuNanos();
            try (RawHttpClient client = new RawHttpClient(transcribe, CONTENT_TYPE, clip.upload())) {
                for (int i = 0; i < requests; i++) {
                    int calls = fullCalls().size();
                    long sent = System.nanoTime();
                    String answer = client.post();
                    long latency = System.nanoTime() - sent;
                    check(clip, client.status(), answer);
                    List<double[]> logged = fullCalls();
                    // the line is written before the answer leaves; a short wait covers the log's buffering
                    for (int wait = 0; logged.size() == calls && wait < 100; wait++) {
                        Thread.sleep(10);
                        logged = fullCalls();
                    }
                    if (logged.size() != calls + 1) {
                        throw new IllegalStateException("Expected one whisper_full line per request in " + log);
                    }
                    latencies.add(latency);
                    outside.add(latency / 1e6 - logged.getLast()[0]);
                    latencyMillis += latency / 1e6;
                    outsideMillis += latency / 1e6 - logged.getLast()[0];
                    fullCpuMillis += logged.getLast()[1];
                }
            }
            double processCpuMillis = (cpuNanos() - cpu) / 1e6;
            List<Long> outsideNanos = outside.stream().map(ms -> (long) (ms * 1e6)).toList();
            return String.format("one request at a time on %s (%d requests): latency p50 %s ms, outside whisper_full"
                    + " p50 %s ms, max %s ms, %.1f %% of the time in all%s", OVERHEAD_CLIP, requests,
                    Stats.millis(Stats.median(latencies)), Stats.millis(Stats.median(outsideNanos)),
                    Stats.millis(Stats.percentile(outsideNanos, 100)), 100 * outsideMillis / latencyMillis,
                    // with more threads, whisper.cpp's own threads do part of the call's work off the calling thread
                    threads > 1 ? "" : String.format("; CPU %.0f ms per request, %.0f ms of it outside whisper_full"
                            + " (%.1f %%)", processCpuMillis / requests, (processCpuMillis - fullCpuMillis) / requests,
                            100 * (processCpuMillis - fullCpuMillis) / processCpuMillis));
        }

        /** Each logged call's wall and calling-thread CPU time, in ms. */
        private List<double[]> fullCalls() throws IOException {
            List<double[]> calls = new ArrayList<>();
            Matcher matcher = WHISPER_FULL.matcher(Files.readString(log));
            while (matcher.find()) {
                calls.add(new double[] { Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)) });
            }
            return calls;
        }
    }

    private static final class ProcStatus {
        static long rssKb(Path status) throws IOException {
            try {
                return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmRSS:"))
                        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    private static List<Integer> numbers(String list) {
        return List.of(list.split(",")).stream().map(String::strip).map(Integer::parseInt).toList();
    }
}
