package io.quarkiverse.asr.remote.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real whisper.cpp {@code whisper-server} of ../shared, serving the espeak mini model on a free port of the
 * loopback interface, its output in {@code target/}. Tests start it before their application and stop it after.
 */
final class WhisperServerProcess implements AutoCloseable {

    /**
     * How long a wait in these tests may take before it counts as a hang: far past what any of them takes even on a
     * busy machine, so that only a hang, never a slow CI machine, fails a test. Speed is measured in benchmarks/.
     */
    static final Duration HANG = Duration.ofMinutes(5);


    static final Path BINARY = TestData.SHARED.resolve("whisper.cpp/1.9.3/linux-x86_64/whisper-server");

    private final Process process;
    private final String url;

    private WhisperServerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts a server with {@code extraArgs} and waits until its {@code /health} answers {@code 200}.
     *
     * @param requestPath the server's {@code --request-path}, the prefix of all its paths; empty for none
     */
    static WhisperServerProcess start(String name, String requestPath, String... extraArgs) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port), "-m", TestData.ESPEAK_MINI_MODEL.toString(), "-t", "1", "--request-path",
                requestPath));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", name + ".log").toFile());
        builder.environment().put("LD_LIBRARY_PATH", BINARY.getParent().toString());
        try {
            WhisperServerProcess server = new WhisperServerProcess(builder.start(),
                    "http://127.0.0.1:" + port + requestPath);
            server.awaitHealthy(HANG);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's base URL, with its request path. */
    String url() {
        return url;
    }

    private void awaitHealthy(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        // plain HTTP/1.1: the server does not understand an upgrade to h2c
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/health")).build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("whisper-server exited with " + process.exitValue());
                }
                try {
                    if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new IllegalStateException("whisper-server did not become healthy within " + limit);
    }

    long pid() {
        return process.pid();
    }

    /** Waits until process {@code pid} has ended; fails when it is still alive after {@code limit}. */
    static void awaitGone(long pid, Duration limit) {
        ProcessHandle.of(pid).ifPresent(process -> {
            try {
                process.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                throw new AssertionError("process " + pid + " " + process.info().commandLine().orElse("")
                        + " still runs " + limit + " later (killed now)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
