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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.whisper.runtime.ComputeBackend;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperSettings;

/**
 * The whisper provider in this JVM against the real {@code whisper-server} from {@code ../shared/whisper.cpp/}, on
 * the same model, audio, number of whisper.cpp threads and flash attention setting (whisper-server 1.9.3 turns it on
 * by default, the provider off), in interleaved rounds: requests/s, latency, CPU time per
 * request and resident memory, for each number of clients. Each client sends its next request when the last one is
 * answered. The server listens on a free loopback port only and is stopped at the end; the whole run stops early, with
 * the rows it has, once {@code --minutes} have passed.
 * <p>
 * The provider runs {@code cores / threads} workers (at least one), so that both sides use the machine's cores;
 * whisper-server transcribes one request at a time. A JVM loads one whisper.cpp library: run it once per library.
 */
public final class ServerComparison {

    static final String USAGE = "usage: ServerComparison [--shared DIR] [--model PATH] [--library bundled|PATH]"
            + " [--threads 1,2] [--clients 1,2,4] [--requests 8] [--rounds 2] [--minutes 20] [--work DIR]"
            + " [--flash-attention false|true]";

    private record Clip(String name, byte[] wav) {
    }

    /** One side's measurements of one (threads, clients) cell, over all rounds. */
    private static final class Cell {
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final List<Double> requestsPerSecond = new ArrayList<>();
        long cpuNanos;
        int requests;
        long rssKb;
    }

    private interface Side {
        String name();

        /** Transcribes one clip and returns the text, failing on an error. */
        String transcribe(Clip clip) throws Exception;

        long cpuNanos() throws IOException;

        long rssKb() throws IOException;
    }

    private ServerComparison() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--shared", "../shared", "--library", "bundled",
                "--threads", "1,2", "--clients", "1,2,4", "--requests", "8", "--rounds", "2", "--minutes", "20",
                "--work", "target/server-comparison", "--flash-attention", "false"));
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException(USAGE);
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) && !args[i].equals("--model")) {
                throw new IllegalArgumentException("Unknown option " + args[i] + "; " + USAGE);
            }
            options.put(args[i], args[i + 1]);
        }
        Path shared = Path.of(options.get("--shared")).toAbsolutePath().normalize();
        Path model = Path.of(options.getOrDefault("--model",
                shared.resolve("models/for-tests-ggml-espeak-mini.en.bin").toString())).toAbsolutePath();
        Path server = shared.resolve("whisper.cpp/1.9.3/linux-x86_64/whisper-server");
        List<Clip> clips = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            Path wav = shared.resolve(String.format("audio/synthetic/s%02d.wav", i));
            clips.add(new Clip(wav.getFileName().toString(), Files.readAllBytes(wav)));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(Long.parseLong(options.get("--minutes"))).toNanos();
        PrintStream out = System.out;
        String library = options.get("--library");
        String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
        out.printf("Model %s; %d clips from audio/synthetic; %s; %d cores; load average %s %s %s at start; %s%n%n",
                model.getFileName(), clips.size(), server, Runtime.getRuntime().availableProcessors(), load[0], load[1],
                load[2], Optional.ofNullable(System.getenv("GOMP_SPINCOUNT")).map(v -> "GOMP_SPINCOUNT=" + v)
                        .orElse("GOMP_SPINCOUNT unset"));
        out.println("| library | threads | clients | side | requests | requests/s (each round) | latency p50 | p90 | max"
                + " | CPU per request | RSS after |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        boolean flashAttention = Boolean.parseBoolean(options.get("--flash-attention"));
        for (int threads : numbers(options.get("--threads"))) {
            int workers = Math.max(1, Runtime.getRuntime().availableProcessors() / threads);
            WhisperSettings settings = new WhisperSettings(
                    library.equals("bundled") ? Optional.empty() : Optional.of(Path.of(library)),
                    Optional.of(Path.of(options.get("--work"), "native-cache")), ComputeBackend.CPU, 0, flashAttention, true,
                    workers, 16, Optional.empty(), threads, TranscriptionOptions.builder().language("en").build());
            try (WhisperAsrProvider provider = WhisperAsrProvider.create(model, settings);
                    WhisperServer whisperServer = WhisperServer.start(server, model, threads, flashAttention)) {
                String version = provider.info().details().get("libraryVersion");
                Side inProcess = inProcess(provider, workers);
                List<Side> sides = List.of(whisperServer, inProcess);
                for (Side side : sides) {
                    // warm up: one request alone (Mutiny's first use is not safe from two threads at once), then
                    // every worker its state and the JIT its first compilations
                    run(side, clips, 1, 1, new Cell());
                    run(side, clips, workers, 2 * workers, new Cell());
                }
                List<Integer> clientCounts = numbers(options.get("--clients"));
                Map<String, Cell> cells = new LinkedHashMap<>();
                int rounds = Integer.parseInt(options.get("--rounds"));
                for (int round = 0; round < rounds; round++) {
                    if (System.nanoTime() > deadline) {
                        out.printf("%nStopped after %d of %d rounds at threads %d: --minutes %s passed.%n%n", round,
                                rounds, threads, options.get("--minutes"));
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
                        if (cell == null) {
                            continue;
                        }
                        out.printf("| %s | %d | %d | %s | %d | %s | %s ms | %s ms | %s ms | %s ms | %d MB |%n",
                                side == whisperServer ? "1.9.3" : version, threads, clients, side.name(), cell.requests,
                                String.join(", ", cell.requestsPerSecond.stream().map(r -> String.format("%.2f", r))
                                        .toList()),
                                Stats.millis(Stats.median(cell.latencies)),
                                Stats.millis(Stats.percentile(cell.latencies, 90)),
                                Stats.millis(Stats.percentile(cell.latencies, 100)),
                                Stats.millis((double) cell.cpuNanos / cell.requests), cell.rssKb / 1024);
                    }
                }
            }
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
                    if (side.transcribe(clip).isBlank()) {
                        throw new IllegalStateException(side.name() + " returned no text for " + clip.name());
                    }
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

    private static Side inProcess(WhisperAsrProvider provider, int workers) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new Side() {
            @Override
            public String name() {
                return "this JVM, " + workers + (workers == 1 ? " worker" : " workers");
            }

            @Override
            public String transcribe(Clip clip) {
                return provider.transcribe(AudioInput.of(clip.wav(), clip.name())).await().indefinitely().text();
            }

            @Override
            public long cpuNanos() {
                return os.getProcessCpuTime();
            }

            @Override
            public long rssKb() throws IOException {
                return ProcStatus.rssKb(Path.of("/proc/self/status"));
            }
        };
    }

    /** The real whisper-server on a free loopback port, stopped on close. */
    private static final class WhisperServer implements Side, AutoCloseable {
        private static final String BOUNDARY = "benchmark-boundary";
        private final Process process;
        private final URI inference;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        private WhisperServer(Process process, URI inference) {
            this.process = process;
            this.inference = inference;
        }

        static WhisperServer start(Path binary, Path model, int threads, boolean flashAttention) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path log = Files.createTempFile("whisper-server", ".log");
            Process process = new ProcessBuilder(binary.toString(), "-m", model.toString(), "-t",
                    Integer.toString(threads), flashAttention ? "-fa" : "-nfa", "-l", "en", "--host", "127.0.0.1", "--port", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            WhisperServer server = new WhisperServer(process, URI.create("http://127.0.0.1:" + port + "/inference"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    server.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    return server;
                } catch (IOException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new IllegalStateException("whisper-server did not start; its output:\n"
                                + Files.readString(log), e);
                    }
                    Thread.sleep(100);
                }
            }
        }

        @Override
        public String name() {
            return "whisper-server";
        }

        @Override
        public String transcribe(Clip clip) throws Exception {
            byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\njson\r\n"
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + clip.name()
                    + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(inference)
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofByteArray(clip.wav()),
                            HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || !response.body().contains("\"text\"")) {
                throw new IllegalStateException("whisper-server answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
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
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
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
