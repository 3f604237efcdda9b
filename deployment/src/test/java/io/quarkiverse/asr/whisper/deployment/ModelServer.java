package io.quarkiverse.asr.whisper.deployment;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** An HTTP server on the loopback interface that serves the test model as {@code /ggml-custom.bin}. */
final class ModelServer {

    static final String FILE = "ggml-custom.bin";

    private final HttpServer server;
    private final AtomicInteger downloads = new AtomicInteger();

    private ModelServer(HttpServer server) {
        this.server = server;
    }

    static ModelServer start() {
        try {
            byte[] model = Files.readAllBytes(TestData.TINY_EN_MODEL);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ModelServer result = new ModelServer(server);
            server.createContext("/" + FILE, exchange -> {
                result.downloads.incrementAndGet();
                exchange.sendResponseHeaders(200, model.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(model);
                }
            });
            server.start();
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/"
                + FILE);
    }

    int downloads() {
        return downloads.get();
    }

    void stop() {
        server.stop(0);
    }

    /** The SHA-256 of the model served, as sha256sum prints it. */
    static String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(TestData.TINY_EN_MODEL)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
