package io.quarkiverse.asr.remote.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.remote.runtime.config.RemoteRuntimeConfig.ServerConfig;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Runs whisper.cpp's {@code whisper-server} as a child process of the application: on a free port of the loopback
 * interface, its output forwarded to JBoss Logging, restarted with back-off when it dies, stopped when the provider
 * closes.
 * <p>
 * The child never outlives the JVM: it runs under {@code sh} with a watchdog script ({@code watchdog.sh}) that kills
 * it when its standard input, a pipe from this JVM, closes. The kernel closes that pipe however the JVM ends,
 * {@code kill -9} included, which no shutdown hook sees. Linux's {@code PR_SET_DEATHSIG} would do the same without the
 * shell, but Java cannot set it between fork and exec.
 */
final class WhisperServerSupervisor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.quarkiverse.asr.remote.whisper-server");
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration HEALTH_POLL = Duration.ofMillis(50);

    private final String name;
    private final Path executable;
    private final List<String> command;
    private final Path libraries;
    private final int port;
    private final ServerConfig config;
    private final String prefix;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private Process process;
    private CompletableFuture<Void> ready = new CompletableFuture<>();
    private Duration nextDelay;
    private int starts;
    private boolean closed;

    private WhisperServerSupervisor(String name, Path executable, List<String> command, Path libraries, int port,
            ServerConfig config, String prefix) {
        this.name = name;
        this.executable = executable;
        this.command = command;
        this.libraries = libraries;
        this.port = port;
        this.config = config;
        this.prefix = prefix;
        this.nextDelay = config.restart().delay();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("asr-whisper-server-" + name).factory());
    }

    /**
     * Starts the server and waits until its {@code /health} answers {@code 200}.
     *
     * @param name the provider, for logs and thread names
     * @param prefix the provider's configuration prefix, for messages
     * @throws ConfigurationException when the binary or the model is missing
     * @throws ProviderUnavailableException when the server does not become healthy within {@code start-timeout}
     */
    static WhisperServerSupervisor start(String name, ServerConfig config, String prefix) {
        Path binary = config.binary().orElseThrow();
        Path model = config.model().orElseThrow(() -> new ConfigurationException(prefix + "server.model is not set: "
                + "the model file whisper-server loads", Set.of(prefix + "server.model")));
        if (!Files.isExecutable(binary)) {
            throw new ConfigurationException(prefix + "server.binary " + binary + " is not an executable file",
                    Set.of(prefix + "server.binary"));
        }
        if (!Files.isRegularFile(model)) {
            throw new ConfigurationException(prefix + "server.model " + model + " is not a file",
                    Set.of(prefix + "server.model"));
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("sh", "-c", watchdogScript(), "whisper-server-watchdog",
                binary.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port), "-m", model.toString(),
                "-t", Integer.toString(config.threads())));
        config.args().ifPresent(command::addAll);
        WhisperServerSupervisor supervisor = new WhisperServerSupervisor(name, realPath(binary), List.copyOf(command),
                binary.toAbsolutePath().getParent(), port, config, prefix);
        try {
            supervisor.launch();
            supervisor.ready.get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return supervisor;
        } catch (Exception e) {
            supervisor.close();
            throw new ProviderUnavailableException("whisper-server (" + prefix + "server.binary) did not become "
                    + "healthy within " + config.startTimeout() + " (" + prefix + "server.start-timeout): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        }
    }

    /** The base URL of the server's API. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** How long a start may take until the server is healthy. */
    Duration startTimeout() {
        return config.startTimeout();
    }

    /** Completes when the server answers its health check; a new one after each restart. */
    synchronized CompletableFuture<Void> ready() {
        return ready;
    }

    /** The server's process id, {@code -1} when it is not running. */
    synchronized long pid() {
        return process == null ? -1 : process.descendants()
                .filter(child -> child.info().command().map(Path::of).filter(executable::equals).isPresent())
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    private synchronized void launch() throws IOException {
        if (closed) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // builds without a RUNPATH find their ggml libraries beside the binary
        String path = builder.environment().get("LD_LIBRARY_PATH");
        builder.environment().put("LD_LIBRARY_PATH", libraries + (path == null || path.isEmpty() ? "" : ":" + path));
        Process started = builder.start();
        process = started;
        starts++;
        LOG.debugf("whisper-server %s: started (%s), port %d", name, starts == 1 ? "first start" : "restart " + (starts - 1),
                port);
        Thread.ofPlatform().daemon().name("asr-whisper-server-" + name + "-log").start(() -> forward(started));
        started.onExit().thenRun(() -> exited(started));
        CompletableFuture<Void> current = ready;
        scheduler.execute(() -> awaitHealth(started, current, System.nanoTime() + config.startTimeout().toNanos()));
    }

    private void awaitHealth(Process started, CompletableFuture<Void> current, long deadline) {
        if (!started.isAlive() || current.isDone()) {
            return;
        }
        try {
            HttpResponse<Void> health = http.send(HttpRequest.newBuilder(baseUrl().resolve("/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            if (health.statusCode() == 200) {
                synchronized (this) {
                    nextDelay = config.restart().delay();
                }
                LOG.infof("whisper-server %s ready at %s (pid %d)", name, baseUrl(), pid());
                current.complete(null);
                return;
            }
        } catch (IOException e) {
            // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (System.nanoTime() > deadline) {
            LOG.warnf("whisper-server %s not healthy within %s (%sserver.start-timeout): stopping it", name,
                    config.startTimeout(), prefix);
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            return;
        }
        scheduler.schedule(() -> awaitHealth(started, current, deadline), HEALTH_POLL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void exited(Process exited) {
        Duration delay;
        synchronized (this) {
            closeQuietly(exited);
            if (closed || exited != process) {
                return;
            }
            process = null;
            if (ready.isDone()) {
                ready = new CompletableFuture<>();
            }
            delay = nextDelay;
            Duration doubled = nextDelay.multipliedBy(2);
            nextDelay = doubled.compareTo(config.restart().maxDelay()) > 0 ? config.restart().maxDelay() : doubled;
        }
        LOG.warnf("whisper-server %s exited with status %d; restarting it in %s", name, exited.exitValue(), delay);
        scheduler.schedule(() -> {
            try {
                launch();
            } catch (IOException e) {
                LOG.errorf(e, "whisper-server %s could not be restarted", name);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The server's lines at DEBUG, its errors at WARN: whisper.cpp prints its model and system details at start. */
    private void forward(Process started) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.contains("error") || lower.contains("failed")) {
                    LOG.warnf("[%s] %s", name, line);
                } else {
                    LOG.debugf("[%s] %s", name, line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /**
     * Stops the server: {@code SIGTERM}, then {@code SIGKILL} after a grace period, and no restart. Closing its
     * standard input makes the watchdog kill it too.
     */
    @Override
    public void close() {
        Process stopping;
        synchronized (this) {
            closed = true;
            stopping = process;
            ready.completeExceptionally(new ProviderUnavailableException("whisper-server " + name + " was stopped"));
        }
        scheduler.shutdownNow();
        if (stopping != null) {
            stopping.descendants().forEach(ProcessHandle::destroy);
            try {
                if (!stopping.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    stopping.descendants().forEach(ProcessHandle::destroyForcibly);
                    stopping.destroyForcibly();
                    stopping.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(stopping);
            LOG.debugf("whisper-server %s stopped", name);
        }
        http.close();
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static String watchdogScript() {
        try (InputStream script = WhisperServerSupervisor.class.getResourceAsStream("watchdog.sh")) {
            return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
