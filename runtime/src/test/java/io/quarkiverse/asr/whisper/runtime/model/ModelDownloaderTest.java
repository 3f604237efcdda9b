package io.quarkiverse.asr.whisper.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkiverse.asr.spi.ModelException;

/**
 * Downloads from an HTTP server on the loopback interface that serves the test model of whisper.cpp, whole or
 * damaged, and counts the requests.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ModelDownloaderTest {

    private static final String NAME = "test-tiny.en";
    private static final String FILE = "ggml-" + NAME + ".bin";
    /** The digest and length of for-tests-ggml-tiny.en.bin, as sha256sum and stat give them. */
    private static final String SHA256 = "dd6b7796204a1cdf7164666423034e6e1a7a3e9f5c22327b4b7974c4584bd82d";
    private static final int SIZE = 586_836;
    private static final String MODEL_URL = "quarkus.asr.whisper.model-url";

    private static byte[] model;

    /** How the server answers. */
    private enum Mode {
        WHOLE,
        /** one byte flipped */
        FLIPPED,
        /** closes the connection halfway */
        HALF,
        /** answers 200 with the whole file to a range request */
        NO_RANGES,
        /** in ten slices, 50 ms apart */
        SLOW,
        /** sends a few bytes, then nothing */
        SILENT,
        /** an HTML page instead of the model */
        PAGE,
        NOT_FOUND,
        FAILING
    }

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService serverThreads;
    private URI base;
    private volatile Mode mode = Mode.WHOLE;
    private final AtomicInteger hits = new AtomicInteger();
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch stopping = new CountDownLatch(1);

    private final java.util.logging.Logger log = java.util.logging.Logger.getLogger(ModelDownloader.class.getName());
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLevel() + " " + new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void readTheTestModel() throws IOException {
        model = Files.readAllBytes(
                Path.of(System.getProperty("asr.shared.dir"), "models", "for-tests-ggml-tiny.en.bin"));
        assertThat(model).hasSize(SIZE);
    }

    @BeforeEach
    void startTheServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/models");
        log.addHandler(capture);
    }

    @AfterEach
    void stopTheServer() {
        log.removeHandler(capture);
        stopping.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void downloadsChecksAndMovesTheModelIntoPlace() throws IOException {
        Path file = downloader().build().ensure(NAME, dir.resolve("models"));

        assertThat(file).isEqualTo(dir.resolve("models").resolve(FILE));
        assertThat(Files.readAllBytes(file)).isEqualTo(model);
        assertThat(dir.resolve("models").resolve(FILE + ".part")).doesNotExist();
        assertThat(hits).hasValue(1);
        assertThat(ranges).isEmpty();
        assertThat(logged).anyMatch(line -> line.equals("INFO Downloading " + base + "/" + FILE + " (0.6 MB)"))
                .anyMatch(line -> line.matches("INFO Downloading " + FILE.replace(".", "\\.")
                        + ": 0\\.\\d MB of 0\\.6 MB \\(\\d0 %\\), [\\d.]+ MB/s"))
                .anyMatch(line -> line.matches("INFO Downloaded " + FILE.replace(".", "\\.")
                        + ": 0\\.6 MB in [\\d.]+ s, [\\d.]+ MB/s"))
                .anyMatch(line -> line.equals("INFO Stored " + file + " (SHA-256 verified)"));
    }

    @Test
    void usesTheModelInPlaceWithoutDownloadingItAgain() {
        ModelDownloader downloader = downloader().build();
        Path file = downloader.ensure(NAME, dir);

        assertThat(downloader.ensure(NAME, dir)).isEqualTo(file);
        assertThat(hits).hasValue(1);
    }

    @Test
    void deletesACorruptDownload() {
        mode = Mode.FLIPPED;

        assertThatThrownBy(() -> downloader().build().ensure(NAME, dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("The download of " + base + "/" + FILE + " is corrupt")
                .hasMessageContaining("its SHA-256 is ")
                .hasMessageContaining("instead of " + SHA256);
        assertThat(dir.resolve(FILE)).doesNotExist();
        assertThat(dir.resolve(FILE + ".part")).doesNotExist();
    }

    @Test
    void resumesAnInterruptedDownloadWithARangeRequest() throws IOException {
        mode = Mode.HALF;
        assertThatThrownBy(() -> downloader().build().ensure(NAME, dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("The download of " + base + "/" + FILE + " broke off")
                .hasMessageContaining(dir.resolve(FILE + ".part") + " keeps what arrived: try again to resume it");
        assertThat(dir.resolve(FILE)).doesNotExist();
        long kept = Files.size(dir.resolve(FILE + ".part"));
        assertThat(kept).isPositive().isLessThan(SIZE);

        mode = Mode.WHOLE;
        Path file = downloader().build().ensure(NAME, dir);

        assertThat(ranges).containsExactly("bytes=" + kept + "-");
        assertThat(Files.readAllBytes(file)).isEqualTo(model);
        assertThat(dir.resolve(FILE + ".part")).doesNotExist();
        assertThat(logged).anyMatch(line -> line.startsWith("INFO Resuming the download of " + base + "/" + FILE));
    }

    @Test
    void startsAgainWhenTheServerIgnoresTheRange() throws IOException {
        byte[] garbage = new byte[100_000];
        Arrays.fill(garbage, (byte) 0x55);
        Files.write(dir.resolve(FILE + ".part"), garbage);
        mode = Mode.NO_RANGES;

        Path file = downloader().build().ensure(NAME, dir);

        assertThat(ranges).containsExactly("bytes=100000-");
        assertThat(Files.readAllBytes(file)).isEqualTo(model);
        assertThat(logged).anyMatch(line -> line.contains("does not resume downloads"));
    }

    @Test
    void startsAgainWhenTheServerRefusesTheRange() throws IOException {
        Files.write(dir.resolve(FILE + ".part"), model);

        Path file = downloader().build().ensure(NAME, dir);

        assertThat(ranges).containsExactly("bytes=" + SIZE + "-");
        assertThat(hits).hasValue(2);
        assertThat(Files.readAllBytes(file)).isEqualTo(model);
    }

    @Test
    void namesTheStatusAndTheAddressOfAnHttpError() {
        mode = Mode.NOT_FOUND;
        assertThatThrownBy(() -> downloader().build().ensure(NAME, dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("Cannot download " + base + "/" + FILE + ": HTTP 404, the server has no such"
                        + " file")
                .hasMessageContaining("quarkus.asr.whisper.download.base-url")
                .hasMessageContaining("curl -L -o '" + dir.resolve(FILE) + "'");

        mode = Mode.FAILING;
        assertThatThrownBy(() -> downloader().build().ensure(NAME, dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("Cannot download " + base + "/" + FILE + ": HTTP 500, the server failed: try"
                        + " again later");
        assertThat(dir.resolve(FILE)).doesNotExist();
    }

    @Test
    void saysWhenTheServerIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ModelDownloader downloader = downloader().baseUri(URI.create("http://127.0.0.1:" + closedPort + "/models/"))
                .build();

        assertThatThrownBy(() -> downloader.ensure(NAME, dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("Cannot download http://127.0.0.1:" + closedPort + "/models/" + FILE)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + closedPort)
                .hasMessageContaining("The network or the server is unreachable");
    }

    @Test
    void givesUpOnASilentServer() {
        mode = Mode.SILENT;
        ModelDownloader downloader = downloader().readTimeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(() -> downloader.ensure(NAME, dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("broke off")
                .hasMessageContaining("timed out (nothing received for 300 ms)");
        assertThat(dir.resolve(FILE + ".part")).exists();
    }

    @Test
    void neverTouchesTheNetworkOffline() throws IOException {
        ModelDownloader offline = downloader().offline(true).build();

        assertThatThrownBy(() -> offline.ensure(NAME, dir.resolve("models")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(FILE + " is not in " + dir.resolve("models"))
                .hasMessageContaining("quarkus.asr.whisper.offline=true")
                .hasMessageContaining("curl -L -o '" + dir.resolve("models").resolve(FILE) + "' '" + base + "/" + FILE
                        + "'");
        assertThat(hits).hasValue(0);
        assertThat(dir).isEmptyDirectory();

        Path placed = Files.write(dir.resolve(FILE), model);
        assertThat(offline.ensure(NAME, dir)).isEqualTo(placed);
        assertThat(hits).hasValue(0);
    }

    @Test
    void refusesNamesThatCouldLeaveTheModelsFolder() {
        ModelDownloader downloader = downloader().build();
        for (String name : new String[] { "../x", "tiny/../../etc", "..", "/etc/passwd", "..\\x", "a/b" }) {
            assertThatThrownBy(() -> downloader.ensure(name, dir.resolve("models")))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("'" + name + "' is not a valid model name");
        }
        assertThatThrownBy(() -> downloader.ensure("huge", dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("'huge' is not a model of the catalogue (" + NAME + ", unchecked)");
        assertThat(hits).hasValue(0);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void downloadsTheSameModelOnceForTwoThreads() throws Exception {
        mode = Mode.SLOW;
        ModelDownloader downloader = downloader().build();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<Path> first = threads.submit(() -> downloader.ensure(NAME, dir));
            assertThat(requested.await(5, TimeUnit.SECONDS)).isTrue();
            Future<Path> second = threads.submit(() -> downloader.ensure(NAME, dir));

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(second.get(10, TimeUnit.SECONDS));
        }
        assertThat(Files.readAllBytes(dir.resolve(FILE))).isEqualTo(model);
        assertThat(hits).hasValue(1);
        assertThat(dir.resolve(FILE + ".part")).doesNotExist();
        assertThat(logged).anyMatch(line -> line.equals("INFO Waiting for another download of " + dir.resolve(FILE)
                + " to finish"));
    }

    @Test
    void warnsAboutAModelWithoutChecksumOrRefusesItWhenChecksumsAreRequired() throws IOException {
        assertThatThrownBy(() -> downloader().requireChecksum(true).build().ensure("unchecked", dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("No checksum is known for " + base + "/ggml-unchecked.bin")
                .hasMessageContaining("quarkus.asr.whisper.download.require-checksum=true");
        assertThat(hits).hasValue(0);

        Path custom = dir.resolve("custom.bin");
        assertThat(downloader().build().download(URI.create(base + "/" + FILE), MODEL_URL, custom, Optional.empty()))
                .isEqualTo(custom);
        assertThat(Files.readAllBytes(custom)).isEqualTo(model);
        assertThat(logged).contains("WARN No checksum is known for " + base + "/" + FILE
                + ": only its length and ggml structure were checked");
    }

    @Test
    void checksACustomDownloadAgainstItsChecksum() throws IOException {
        Path custom = dir.resolve("mine").resolve("model.bin");
        URI source = URI.create(base + "/" + FILE);
        assertThatThrownBy(() -> downloader().build().download(source, MODEL_URL, custom,
                Optional.of(Checksum.parse("sha1:06f45ff6b30e9678b40ca36ce3bc175a50fd4920"))))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("its SHA-1 is 06f45ff6b30e9678b40ca36ce3bc175a50fd4929 instead of"
                        + " 06f45ff6b30e9678b40ca36ce3bc175a50fd4920");
        assertThat(custom).doesNotExist();

        assertThat(downloader().build().download(source, MODEL_URL, custom, Optional.of(Checksum.parse(SHA256))))
                .isEqualTo(custom);
        assertThat(Files.readAllBytes(custom)).isEqualTo(model);
    }

    @Test
    void aCustomDownloadsFailureNamesThePropertyThatGivesItsAddress() {
        mode = Mode.NOT_FOUND;
        assertThatThrownBy(() -> downloader().build().download(URI.create(base + "/" + FILE), MODEL_URL,
                dir.resolve("m.bin"), Optional.empty()))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("HTTP 404, the server has no such file: check the model name and " + MODEL_URL)
                .hasMessageNotContaining("base-url");
    }

    @Test
    void refusesAFileThatIsNotAWhisperModel() {
        mode = Mode.PAGE;
        assertThatThrownBy(() -> downloader().build().download(URI.create(base + "/" + FILE), MODEL_URL,
                dir.resolve("m.bin"), Optional.empty()))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("is corrupt")
                .hasMessageContaining("is not a whisper.cpp ggml model");
        assertThat(dir.resolve("m.bin")).doesNotExist();
        assertThat(dir.resolve("m.bin.part")).doesNotExist();
    }

    @Test
    void checksTheLengthTheCatalogueGives() {
        ModelDownloader downloader = downloader().catalogue(ModelCatalogue.of(List.of(new ModelCatalogue.Entry(NAME,
                OptionalLong.of(SIZE + 1), Optional.empty())))).build();

        assertThatThrownBy(() -> downloader.ensure(NAME, dir))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("it has " + SIZE + " bytes instead of " + (SIZE + 1));
        assertThat(dir.resolve(FILE)).doesNotExist();
    }

    /** A downloader of the test model (with its checksum) and of "unchecked" (without), from the test server. */
    private ModelDownloader.Builder downloader() {
        return ModelDownloader.builder()
                .catalogue(ModelCatalogue.of(List.of(
                        new ModelCatalogue.Entry(NAME, OptionalLong.of(SIZE),
                                Optional.of(new Checksum("SHA-256", SHA256))),
                        new ModelCatalogue.Entry("unchecked", OptionalLong.empty(), Optional.empty()))))
                .baseUri(base)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5));
    }

    private void serve(HttpExchange exchange) throws IOException {
        hits.incrementAndGet();
        requested.countDown();
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            ranges.add(range);
        }
        try (exchange) {
            if (mode == Mode.NOT_FOUND || !exchange.getRequestURI().getPath().equals("/models/" + FILE)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (mode == Mode.FAILING) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            byte[] body = switch (mode) {
                case FLIPPED -> flipped();
                case PAGE -> "<html><body>Sign in to download</body></html>".getBytes(StandardCharsets.UTF_8);
                default -> model;
            };
            int start = 0;
            if (range != null && mode != Mode.NO_RANGES) {
                start = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
                if (start >= body.length) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Range",
                        "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
                exchange.sendResponseHeaders(206, body.length - start);
            } else {
                exchange.sendResponseHeaders(200, body.length);
            }
            OutputStream out = exchange.getResponseBody();
            int length = body.length - start;
            switch (mode) {
                case HALF -> {
                    // closing the exchange short of the announced length closes the connection
                    out.write(body, start, length / 2);
                    out.flush();
                }
                case SILENT -> {
                    out.write(body, start, 1000);
                    out.flush();
                    stopping.await(10, TimeUnit.SECONDS);
                }
                case SLOW -> {
                    int slice = length / 10 + 1;
                    for (int at = start; at < body.length; at += slice) {
                        out.write(body, at, Math.min(slice, body.length - at));
                        out.flush();
                        Thread.sleep(50);
                    }
                }
                default -> out.write(body, start, length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] flipped() {
        byte[] copy = model.clone();
        copy[SIZE / 2] ^= (byte) 0xff;
        return copy;
    }
}
