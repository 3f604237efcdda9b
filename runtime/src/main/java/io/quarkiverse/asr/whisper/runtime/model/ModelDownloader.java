package io.quarkiverse.asr.whisper.runtime.model;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.whisper.natives.WhisperModelException;
import io.quarkiverse.asr.whisper.natives.WhisperModelFile;

/**
 * Downloads whisper models and checks them before anything can load them.
 * <p>
 * {@link #ensure} returns {@code <models-dir>/ggml-<name>.bin} for a catalogue name, downloading it first from
 * {@code <base-uri>/ggml-<name>.bin} when it is missing. A download
 * <ul>
 * <li>writes {@code ggml-<name>.bin.part} and moves it into place atomically once its length, its checksum (when
 * known) and its ggml structure check out, so the model file is complete whenever it exists;</li>
 * <li>resumes a {@code .part} that an interrupted download left with an HTTP range request, and starts again from
 * zero when the server ignores the range;</li>
 * <li>logs its progress every 10 % and at least every 10 s;</li>
 * <li>holds a lock on {@code ggml-<name>.bin.lock} (an empty file, left in place), so that threads and processes
 * after the same file take turns, and the later ones find it in place.</li>
 * </ul>
 * A file that exists already is returned as it is, without checking it again. Every failure is a
 * {@link ModelException} that names the address and says what to do.
 */
public final class ModelDownloader {

    /** Where whisper.cpp's own download script fetches its models. */
    public static final URI DEFAULT_BASE_URI = URI.create("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/");

    private static final Logger LOG = Logger.getLogger(ModelDownloader.class);

    private static final String OFFLINE_PROPERTY = "quarkus.asr.whisper.offline";
    private static final String BASE_URL_PROPERTY = "quarkus.asr.whisper.download.base-url";
    private static final String REQUIRE_CHECKSUM_PROPERTY = "quarkus.asr.whisper.download.require-checksum";

    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration LOCK_POLL = Duration.ofMillis(100);

    private final ModelCatalogue catalogue;
    private final URI baseUri;
    private final boolean offline;
    private final boolean requireChecksum;
    private final Duration readTimeout;
    private final HttpClient client;

    private ModelDownloader(Builder builder) {
        this.catalogue = builder.catalogue;
        String base = builder.baseUri.toString();
        this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
        this.offline = builder.offline;
        this.requireChecksum = builder.requireChecksum;
        this.readTimeout = builder.readTimeout;
        this.client = builder.httpClient != null ? builder.httpClient
                : HttpClient.newBuilder()
                        .connectTimeout(builder.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The file of catalogue model {@code name} in {@code modelsDir}, downloaded first when it is missing.
     *
     * @throws ModelException when the name is not in the catalogue, or the model is missing and cannot be downloaded
     */
    public Path ensure(String name, Path modelsDir) {
        ModelCatalogue.Entry entry = catalogue.find(name).orElseThrow(() -> new ModelException(
                ModelCatalogue.isValidName(name)
                        ? "'" + name + "' is not a model of the catalogue (" + String.join(", ", catalogue.names())
                                + ")"
                        : "'" + name + "' is not a valid model name: a catalogue name such as 'tiny.en' is lowercase"
                                + " letters and digits separated by '.', '_' or '-'"));
        Path target = modelsDir.toAbsolutePath().normalize().resolve(entry.fileName());
        return fetch(baseUri.resolve(entry.fileName()), BASE_URL_PROPERTY, target, entry.checksum(), entry.size());
    }

    /**
     * {@code target}, downloaded first from {@code source} when it is missing: for a whisper model from elsewhere
     * than the catalogue, such as one's own fine-tuned model.
     *
     * @param sourceProperty the configuration property that gives {@code source}, which messages tell to change
     * @param checksum the file's digest; without it, only the length the server announces is checked, with a
     *        warning, or the download is refused when checksums are required
     * @throws ModelException when the file is missing and cannot be downloaded
     */
    public Path download(URI source, String sourceProperty, Path target, Optional<Checksum> checksum) {
        return fetch(source, sourceProperty, target.toAbsolutePath().normalize(), checksum, OptionalLong.empty());
    }

    private Path fetch(URI source, String sourceProperty, Path target, Optional<Checksum> checksum,
            OptionalLong size) {
        if (Files.isRegularFile(target)) {
            return target;
        }
        String getItYourself = "download " + source + " to " + target + " yourself (for example: curl -L -o '"
                + target + "' '" + source + "')";
        if (offline) {
            throw new ModelException(target.getFileName() + " is not in " + target.getParent()
                    + " and downloads are off (" + OFFLINE_PROPERTY + "=true): " + getItYourself + ", or set "
                    + OFFLINE_PROPERTY + "=false to let the application download it");
        }
        if (checksum.isEmpty() && requireChecksum) {
            throw new ModelException("No checksum is known for " + source + ", and " + REQUIRE_CHECKSUM_PROPERTY
                    + "=true refuses to download it unchecked: " + getItYourself + " and check it, or set "
                    + REQUIRE_CHECKSUM_PROPERTY + "=false");
        }
        Path part = sibling(target, ".part");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel lockFile = FileChannel.open(sibling(target, ".lock"), CREATE, WRITE);
                    FileLock lock = lock(lockFile, target)) {
                if (Files.isRegularFile(target)) {
                    return target; // another thread or process downloaded it meanwhile
                }
                transfer(source, sourceProperty, part, getItYourself);
                verify(source, part, checksum, size);
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.infof("Stored %s (%s)", target,
                        checksum.map(c -> c.algorithm() + " verified").orElse("no checksum known"));
                return target;
            }
        } catch (IOException e) {
            throw new ModelException("Cannot store the model in " + target.getParent() + ": " + e, e);
        }
    }

    /** Downloads {@code source} into {@code part}, resuming from what {@code part} holds. */
    private void transfer(URI source, String sourceProperty, Path part, String getItYourself) throws IOException {
        for (int attempt = 1;; attempt++) {
            long offset = Files.exists(part) ? Files.size(part) : 0;
            HttpRequest.Builder request = HttpRequest.newBuilder(source);
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = send(request.build(), sourceProperty,
                    getItYourself);
            try (Body body = new Body(response.body())) {
                int status = response.statusCode();
                if (status == 416 && offset > 0 && attempt == 1) {
                    LOG.infof("%s refuses to resume the download at %s; downloading it again from the start", source,
                            megabytes(offset));
                    Files.delete(part);
                    continue;
                }
                if (status == 200 && offset > 0) {
                    LOG.infof("%s does not resume downloads; downloading %s again from the start",
                            source.getHost(), source);
                    offset = 0;
                } else if (status == 206 && offset > 0) {
                    String range = response.headers().firstValue("Content-Range").orElse("");
                    if (!range.startsWith("bytes " + offset + "-")) {
                        Files.delete(part);
                        throw new ModelException(source + " answered a request for the bytes from " + offset
                                + " with the range '" + range + "'; the partial download was deleted: try again");
                    }
                } else if (status != 200) {
                    throw httpError(source, sourceProperty, status, getItYourself);
                }
                OptionalLong length = response.headers().firstValueAsLong("Content-Length");
                copy(body, source, part, offset, length.isPresent() ? offset + length.getAsLong() : -1);
                return;
            }
        }
    }

    /**
     * Sends {@code request} and waits for the response headers for the read timeout, measured here rather than
     * with the client's request timeout, whose scope over the body differs between Java versions.
     */
    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(HttpRequest request, String sourceProperty,
            String getItYourself) {
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> response = client.sendAsync(request,
                BodyHandlers.ofPublisher());
        IOException failure;
        try {
            return response.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            failure = new HttpTimeoutException("no answer for " + readTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new ModelException("Interrupted while connecting to " + request.uri(), e);
        }
        throw new ModelException("Cannot download " + request.uri() + ": " + reason(failure, request.uri())
                + ". The network or the server is unreachable: check the connection and any proxy, set "
                + sourceProperty + " to a reachable mirror, or " + getItYourself, failure);
    }

    private void copy(Body body, URI source, Path part, long offset, long total) throws IOException {
        Progress progress = new Progress(source, offset, total);
        long position = offset;
        try (FileChannel out = FileChannel.open(part, CREATE, WRITE)) {
            out.truncate(offset);
            out.position(offset);
            for (List<ByteBuffer> buffers; (buffers = next(body, source, part, position)) != null;) {
                for (ByteBuffer buffer : buffers) {
                    while (buffer.hasRemaining()) {
                        position += out.write(buffer);
                    }
                }
                progress.at(position);
            }
            out.force(true);
        }
        if (total >= 0 && position != total) {
            throw new ModelException("The download of " + source + " ended at " + position + " bytes, but the server"
                    + " announced " + total + "; " + part + " keeps what arrived: try again to resume it");
        }
        progress.done(position);
    }

    private List<ByteBuffer> next(Body body, URI source, Path part, long position) {
        try {
            return body.next(readTimeout);
        } catch (IOException e) {
            throw new ModelException("The download of " + source + " broke off after " + megabytes(position) + ": "
                    + reason(e, source) + ". " + part + " keeps what arrived: try again to resume it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("Interrupted while downloading " + source + "; " + part
                    + " keeps what arrived", e);
        }
    }

    private void verify(URI source, Path part, Optional<Checksum> checksum, OptionalLong size) throws IOException {
        long length = Files.size(part);
        if (size.isPresent() && length != size.getAsLong()) {
            throw corrupt(source, part, "it has " + length + " bytes instead of " + size.getAsLong());
        }
        if (checksum.isPresent()) {
            String actual = checksum.get().digest(part);
            if (!actual.equals(checksum.get().hex())) {
                throw corrupt(source, part, "its " + checksum.get().algorithm() + " is " + actual + " instead of "
                        + checksum.get().hex());
            }
        } else {
            LOG.warnf("No checksum is known for %s: only its length and ggml structure were checked", source);
        }
        try {
            WhisperModelFile.validate(part);
        } catch (WhisperModelException e) {
            throw corrupt(source, part, e.getMessage());
        }
    }

    private static ModelException corrupt(URI source, Path part, String detail) throws IOException {
        Files.deleteIfExists(part);
        return new ModelException("The download of " + source + " is corrupt (" + detail + ") and was deleted: try"
                + " again; if this happens again, the server or a proxy on the way serves another file");
    }

    private static ModelException httpError(URI source, String sourceProperty, int status, String getItYourself) {
        String meaning;
        if (status == 404) {
            meaning = "the server has no such file: check the model name and " + sourceProperty;
        } else if (status == 401 || status == 403) {
            meaning = "the server refuses access: set " + sourceProperty + " to a mirror you may use";
        } else if (status >= 500) {
            meaning = "the server failed: try again later, or set " + sourceProperty + " to a mirror";
        } else {
            meaning = "an unexpected answer to a download";
        }
        return new ModelException("Cannot download " + source + ": HTTP " + status + ", " + meaning + "; or "
                + getItYourself);
    }

    private static String reason(IOException e, URI uri) {
        if (causedBy(e, UnresolvedAddressException.class) || causedBy(e, UnknownHostException.class)) {
            return "the host name " + uri.getHost() + " cannot be resolved (DNS)";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connecting to " + uri.getHost() + " timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        if (causedBy(e, ConnectException.class)) {
            return "cannot connect to " + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + " (connection refused or no route)";
        }
        return e.toString();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Waits for the lock, which threads of this JVM and other processes may hold. */
    private static FileLock lock(FileChannel channel, Path target) throws IOException {
        for (boolean told = false;; told = true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // held by another thread of this JVM
            }
            if (!told) {
                LOG.infof("Waiting for another download of %s to finish", target);
            }
            try {
                Thread.sleep(LOCK_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelException("Interrupted while waiting for another download of " + target, e);
            }
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Logs a download's progress every 10 % of its length and at least every 10 s. */
    private static final class Progress {

        private final URI source;
        private final long start;
        private final long total;
        private final long startedAt = System.nanoTime();
        private long loggedAt = startedAt;
        private long nextTenth;

        Progress(URI source, long start, long total) {
            this.source = source;
            this.start = start;
            this.total = total;
            this.nextTenth = total > 0 ? start * 10 / total + 1 : 0;
            String length = total >= 0 ? megabytes(total) : "length unknown";
            if (start > 0) {
                LOG.infof("Resuming the download of %s at %s (%s)", source, megabytes(start), length);
            } else {
                LOG.infof("Downloading %s (%s)", source, length);
            }
        }

        void at(long position) {
            long now = System.nanoTime();
            boolean tenth = total > 0 && position < total && position * 10 / total >= nextTenth;
            if (tenth || now - loggedAt >= LOG_INTERVAL_NANOS) {
                loggedAt = now;
                String of = "";
                if (total > 0) {
                    nextTenth = position * 10 / total + 1;
                    of = " of " + megabytes(total) + " (" + position * 100 / total + " %)";
                }
                LOG.infof("Downloading %s: %s%s, %s/s", fileName(), megabytes(position), of,
                        megabytes(rate(position, now)));
            }
        }

        void done(long position) {
            long now = System.nanoTime();
            LOG.infof("Downloaded %s: %s in %.1f s, %s/s", fileName(), megabytes(position - start),
                    (now - startedAt) / 1e9, megabytes(rate(position, now)));
        }

        private String fileName() {
            String path = source.getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }

        private long rate(long position, long now) {
            return (long) ((position - start) / Math.max((now - startedAt) / 1e9, 1e-3));
        }
    }

    /**
     * The response body, handed to the downloading thread one list of buffers at a time, so that it can give up
     * when the server sends nothing for the read timeout (the HTTP client's own timeout ends with the headers).
     */
    private static final class Body implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {

        private static final Object END = new Object();

        private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        private boolean finished;

        Body(Flow.Publisher<List<ByteBuffer>> publisher) {
            publisher.subscribe(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            items.add(buffers);
        }

        @Override
        public void onError(Throwable error) {
            items.add(error);
        }

        @Override
        public void onComplete() {
            items.add(END);
        }

        /** The next buffers, or {@code null} at the end of the body. */
        @SuppressWarnings("unchecked")
        List<ByteBuffer> next(Duration timeout) throws IOException, InterruptedException {
            Object item = items.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new HttpTimeoutException("nothing received for " + timeout.toMillis() + " ms");
            }
            if (item == END || item instanceof Throwable) {
                finished = true;
                if (item instanceof Throwable error) {
                    throw error instanceof IOException io ? io : new IOException(error);
                }
                return null;
            }
            subscription.join().request(1);
            return (List<ByteBuffer>) item;
        }

        /** Cancels the body unless it was read to its end, which releases the connection. */
        @Override
        public void close() {
            if (!finished) {
                subscription.thenAccept(Flow.Subscription::cancel);
            }
        }
    }

    /** Settings of a {@link ModelDownloader}. */
    public static final class Builder {

        private ModelCatalogue catalogue = ModelCatalogue.whisperCpp();
        private URI baseUri = DEFAULT_BASE_URI;
        private boolean offline;
        private boolean requireChecksum;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(60);
        private HttpClient httpClient;

        private Builder() {
        }

        /** The models {@link #ensure} knows; the whisper.cpp catalogue by default. */
        public Builder catalogue(ModelCatalogue catalogue) {
            this.catalogue = catalogue;
            return this;
        }

        /** Where catalogue models are downloaded from, as {@code <baseUri>/ggml-<name>.bin}: a mirror, for example. */
        public Builder baseUri(URI baseUri) {
            this.baseUri = baseUri;
            return this;
        }

        /** Never use the network: a missing model fails at once, with a message saying how to get it. */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** Refuse to download a file whose checksum is not known, rather than warn about it. */
        public Builder requireChecksum(boolean requireChecksum) {
            this.requireChecksum = requireChecksum;
            return this;
        }

        /** The longest wait for a connection; 30 s by default. Unused with {@link #httpClient}. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** The longest wait for the response headers, and then for each part of the body; 60 s by default. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /**
         * The client to download with, for example one with a proxy selector. It should follow redirects
         * ({@link HttpClient.Redirect#NORMAL}): the default server redirects downloads to its content network.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public ModelDownloader build() {
            return new ModelDownloader(this);
        }
    }
}
