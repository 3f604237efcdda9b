package io.quarkiverse.asr.openai.server.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.whisper.natives.testjvm.Await;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * Clients that send what no well-behaved one would, over raw sockets: a multipart body without its closing boundary,
 * a Content-Type without a boundary, one that stalls after ten bytes, one that trickles, parameters that are not
 * values. Each gets a prompt, typed 4xx that names what was wrong, and leaves no upload behind.
 */
class OpenAiBadClientTest {

    static final Path UPLOADS = Path.of("target", "openai-uploads", "bad-client-test").toAbsolutePath();
    static final String BOUNDARY = "bad-client";
    /** The idle timeout of these tests: short, so that the stalled clients are dropped within the test's time. */
    static final Duration IDLE = Duration.ofSeconds(1);
    static final Duration UPLOAD = Duration.ofSeconds(3);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.upload-idle-timeout", IDLE.toMillis() + "ms")
            .overrideConfigKey("quarkus.asr.openai-api.upload-timeout", UPLOAD.toMillis() + "ms")
            .overrideConfigKey("quarkus.asr.openai-api.uploads-directory", UPLOADS.toString());

    @Test
    void aBodyWithoutItsClosingBoundaryIs400() throws Exception {
        byte[] body = form(OpenAiTestData.toneWav(1), false);
        try (Socket socket = connect()) {
            send(socket, headers("multipart/form-data; boundary=" + BOUNDARY, body.length), body);
            Answer answer = read(socket);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.error().getString("message")).contains("closing boundary '--" + BOUNDARY + "--'");
            assertThat(answer.error().getString("type")).isEqualTo("invalid_request_error");
        }
        assertThat(Await.until(() -> OpenAiTestData.filesIn(UPLOADS), 0, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aMultipartContentTypeWithoutABoundaryIs400() throws Exception {
        byte[] body = form(OpenAiTestData.toneWav(1), true);
        try (Socket socket = connect()) {
            send(socket, headers("multipart/form-data", body.length), body);
            Answer answer = read(socket);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.error().getString("code")).isEqualTo("invalid_content_type");
            assertThat(answer.error().getString("message")).contains("no boundary parameter");
        }
    }

    @Test
    void aClientThatStallsAfterTenBytesIs408AndDisconnected() throws Exception {
        byte[] body = form(OpenAiTestData.toneWav(1), true);
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            send(socket, headers("multipart/form-data; boundary=" + BOUNDARY, body.length),
                    Arrays.copyOf(body, 10));
            Answer answer = read(socket);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.error().getString("code")).isEqualTo("upload_timeout");
            assertThat(answer.error().getString("message")).contains("upload-idle-timeout");
            assertThat(answer.closedAfter()).as("the connection is closed after the answer").isTrue();
            assertThat(waited).as("not before the idle timeout").isGreaterThanOrEqualTo(IDLE);
        }
        assertThat(Await.until(() -> OpenAiTestData.filesIn(UPLOADS), 0, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aClientThatTricklesIsCutOffAtTheUploadTimeout() throws Exception {
        byte[] body = form(OpenAiTestData.toneWav(1), true);
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(headers("multipart/form-data; boundary=" + BOUNDARY, body.length));
            // a byte every half idle timeout: never idle, yet far from done when the upload timeout passes
            int sent = 0;
            try {
                while (socket.getInputStream().available() == 0 && sent < body.length) {
                    out.write(body[sent++]);
                    out.flush();
                    Thread.sleep(IDLE.toMillis() / 2);
                }
            } catch (IOException e) {
                // the server closed the connection after its answer
            }
            Answer answer = read(socket);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(sent).as("answered before the whole body was sent").isLessThan(body.length);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.error().getString("message")).contains("upload-timeout");
            assertThat(waited).isGreaterThanOrEqualTo(UPLOAD);
        }
    }

    @Test
    void parametersThatAreNotValuesAre400NamingTheParameter() throws Exception {
        Answer temperature = post("temperature", "abc");
        assertThat(temperature.status()).isEqualTo(400);
        assertThat(temperature.error().getString("param")).isEqualTo("temperature");
        assertThat(temperature.error().getString("message"))
                .isEqualTo("'abc' is not a valid temperature: use a number.");

        Answer range = post("temperature", "2");
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.error().getString("message")).contains("temperature").contains("between 0.0 and 1.0");

        Answer language = post("language", "zz");
        assertThat(language.status()).isEqualTo(400);
        assertThat(language.error().getString("param")).isEqualTo("language");
        assertThat(language.error().getString("message")).contains("'zz'").contains("en, zh, de");
    }

    private static Answer post(String field, String value) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(form(OpenAiTestData.toneWav(0.5), true));
        try (Socket socket = connect()) {
            send(socket, headers("multipart/form-data; boundary=" + BOUNDARY, body.size()), body.toByteArray());
            return read(socket);
        }
    }

    /** A form with one file part, with or without the closing boundary. */
    static byte[] form(byte[] audio, boolean closed) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(audio);
        body.writeBytes(("\r\n" + (closed ? "--" + BOUNDARY + "--\r\n" : "")).getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    static byte[] headers(String contentType, int length) {
        return ("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static Socket connect() throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        // far past every timeout of these tests: a hang fails the test instead of blocking the build
        socket.setSoTimeout(30_000);
        return socket;
    }

    static void send(Socket socket, byte[] headers, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(headers);
        out.write(body);
        out.flush();
    }

    /** A response: its status, its JSON error and whether the server closed the connection after it. */
    record Answer(int status, JsonObject error, boolean closedAfter) {
    }

    /** Reads one response with a Content-Length body, then whether the connection ends there. */
    static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the server answered before closing").isNotNegative();
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        int length = 0;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        boolean closed = false;
        if (head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("connection: close")) {
            // the server said it closes: check that it does
            try {
                closed = in.read() < 0;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                // reset: closed as well
                closed = true;
            }
        }
        return new Answer(status, new JsonObject(new String(body, StandardCharsets.UTF_8)).getJsonObject("error"),
                closed);
    }
}
