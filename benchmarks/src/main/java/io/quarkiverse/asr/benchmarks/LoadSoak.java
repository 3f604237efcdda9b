package io.quarkiverse.asr.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * A bounded load and soak of a running server's transcription endpoint, on the loopback interface only: {@code N}
 * clients send the same upload over and over until a request count or a time is reached, each obeying
 * {@code Retry-After} on 503. Then, optionally, {@code S} slow clients each send ten bytes of a request and stop.
 * <p>
 * Reports throughput, latency percentiles of answered requests, the histogram of statuses, how honest
 * {@code Retry-After} was (the wait advertised against the time until that client was admitted), the server's resident
 * memory before and after ({@code /proc/PID/status}), how long the server held the slow clients, and what is left in
 * the upload folder. See {@code docs/reliability.md}.
 */
public final class LoadSoak {

    private final URI url;
    private final byte[] body;
    private final String boundary = "load-soak-" + System.nanoTime();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> advertised = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> waited = Collections.synchronizedList(new ArrayList<>());
    /** Of each refused client later admitted: the actual wait divided by the wait advertised on its first refusal. */
    private final List<Double> ratios = Collections.synchronizedList(new ArrayList<>());
    private final LongAdder neverAdmitted = new LongAdder();
    private final AtomicInteger started = new AtomicInteger();

    private LoadSoak(URI url, Path audio, Map<String, String> fields) throws IOException {
        this.url = url;
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + audio.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.writeBytes(Files.readAllBytes(audio));
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        this.body = form.toByteArray();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        URI url = URI.create(options.getOrDefault("url", "http://127.0.0.1:8080/v1/audio/transcriptions"));
        if (!InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("Loopback only: " + url.getHost() + " is not this machine");
        }
        Path audio = Path.of(options.getOrDefault("audio", "../shared/audio/synthetic/s01.wav"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "20"));
        int maxRequests = Integer.parseInt(options.getOrDefault("requests", "1000"));
        Duration duration = Duration.parse("PT" + options.getOrDefault("duration", "60s"));
        int slow = Integer.parseInt(options.getOrDefault("slow-clients", "0"));
        long pid = Long.parseLong(options.getOrDefault("pid", "0"));
        Path uploads = options.containsKey("uploads") ? Path.of(options.get("uploads")) : null;

        LoadSoak run = new LoadSoak(url, audio, Map.of("model", "whisper-1"));
        System.out.printf("target %s, %d clients, at most %d requests or %s, upload %d bytes (%s)%n", url, clients,
                maxRequests, duration, run.body.length, audio.getFileName());
        long rssBefore = rss(pid);
        long start = System.nanoTime();
        run.load(clients, maxRequests, start + duration.toNanos());
        double seconds = (System.nanoTime() - start) / 1e9;
        run.report(seconds);
        if (slow > 0) {
            slowClients(url, slow);
        }
        // the server frees what it can once idle: give it a moment, as a client would see it afterwards
        Thread.sleep(2_000);
        long rssAfter = rss(pid);
        if (pid > 0) {
            System.out.printf("server RSS: %d MiB before, %d MiB after%n", rssBefore >> 20, rssAfter >> 20);
        }
        if (uploads != null) {
            System.out.printf("upload folder %s: %s%n", uploads, listing(uploads));
        }
    }

    private void load(int clients, int maxRequests, long deadline) throws InterruptedException {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                executor.submit(() -> client(maxRequests, deadline));
            }
        }
    }

    /** One client: the next request when the last is answered, after Retry-After when refused. */
    private void client(int maxRequests, long deadline) {
        long refusedAt = 0;
        long promised = 0;
        while (System.nanoTime() < deadline && started.incrementAndGet() <= maxRequests) {
            long sent = System.nanoTime();
            String status;
            long retryAfter = -1;
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofMinutes(5))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                status = Integer.toString(response.statusCode());
                retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(-1);
            } catch (IOException e) {
                status = "io-error";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long answered = System.nanoTime();
            statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
            if (status.equals("503")) {
                if (refusedAt == 0) {
                    refusedAt = answered;
                    promised = Math.max(retryAfter, 0) * 1000;
                    advertised.add(promised);
                }
                sleep(retryAfter > 0 ? retryAfter * 1000 : 1000);
                continue;
            }
            if (refusedAt != 0) {
                // admitted at last: the time from the first refusal to the moment this request was admitted
                long actual = (sent - refusedAt) / 1_000_000;
                waited.add(actual);
                if (promised > 0) {
                    ratios.add((double) actual / promised);
                }
                refusedAt = 0;
            }
            latencies.add(answered - sent);
        }
        if (refusedAt != 0) {
            neverAdmitted.increment();
        }
    }

    private void report(double seconds) {
        long answered = latencies.size();
        System.out.printf("%.1f s, %d requests, %.2f answered/s (not 503)%n", seconds,
                statuses.values().stream().mapToLong(LongAdder::sum).sum(), answered / seconds);
        Map<String, Long> histogram = new TreeMap<>();
        statuses.forEach((status, count) -> histogram.put(status, count.sum()));
        System.out.printf("statuses: %s%n", histogram);
        if (!latencies.isEmpty()) {
            System.out.printf("latency of answered requests (ms): p50 %s, p90 %s, p99 %s, max %s%n",
                    Stats.millis(Stats.percentile(latencies, 50)), Stats.millis(Stats.percentile(latencies, 90)),
                    Stats.millis(Stats.percentile(latencies, 99)), Stats.millis(Stats.percentile(latencies, 100)));
        }
        if (!advertised.isEmpty()) {
            System.out.printf("Retry-After advertised on a first refusal (ms): p50 %.0f, p90 %.0f, max %.0f (%d)%n",
                    Stats.median(advertised), Stats.percentile(advertised, 90), Stats.percentile(advertised, 100),
                    advertised.size());
        }
        if (!waited.isEmpty()) {
            System.out.printf("actual wait from a first refusal to admission (ms): p50 %.0f, p90 %.0f, max %.0f (%d)%n",
                    Stats.median(waited), Stats.percentile(waited, 90), Stats.percentile(waited, 100), waited.size());
            System.out.printf("actual / advertised wait of the same client: p50 %.2f, p90 %.2f%n",
                    ratios.isEmpty() ? Double.NaN : Stats.median(ratios),
                    ratios.isEmpty() ? Double.NaN : Stats.percentile(ratios, 90));
        }
        System.out.printf("clients refused at the end and not admitted since: %d%n", neverAdmitted.sum());
    }

    /**
     * {@code count} connections that send ten bytes of a request's body and nothing more: how long until the server
     * closes each (or 120 s, when the harness gives up).
     */
    private static void slowClients(URI url, int count) throws Exception {
        List<Long> held = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        AtomicInteger open = new AtomicInteger();
        long start = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                executor.submit(() -> {
                    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                        socket.setSoTimeout(120_000);
                        socket.getOutputStream().write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: localhost\r\n"
                                + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
                                + "--b\r\nConte").getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                        long sent = System.nanoTime();
                        InputStream in = socket.getInputStream();
                        String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                        held.add((System.nanoTime() - sent) / 1_000_000);
                        answers.merge(answer.isEmpty() ? "closed without an answer" : answer.substring(0,
                                Math.min(12, answer.length())), 1, Integer::sum);
                    } catch (IOException e) {
                        open.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        System.out.printf("%d slow clients (10 bytes, then silence): %d closed by the server, held p50 %.0f ms, "
                + "max %.0f ms; %d still open or failed after %d s%n", count, held.size(),
                held.isEmpty() ? 0 : Stats.median(held), held.isEmpty() ? 0 : Stats.percentile(held, 100), open.get(),
                (System.nanoTime() - start) / 1_000_000_000);
        System.out.printf("their answers: %s%n", new TreeMap<>(answers));
    }

    private static long rss(long pid) throws IOException {
        if (pid <= 0) {
            return 0;
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }

    private static String listing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return "absent";
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            return names.isEmpty() ? "empty" : names.size() + " files " + names;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
