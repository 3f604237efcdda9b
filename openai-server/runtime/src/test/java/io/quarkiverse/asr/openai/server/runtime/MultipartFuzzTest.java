package io.quarkiverse.asr.openai.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.quarkiverse.asr.runtime.http.UploadTimeouts;
import io.quarkiverse.asr.spi.AudioInput;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;

/**
 * A Jazzer fuzz target for the {@link MultipartBodyHandler}: whatever the bytes of a {@code multipart/form-data} body
 * sent whole with its Content-Length, the handler answers promptly, either handing on the form with its file parts
 * stored whole, in memory or in files (200 here), or refusing it with a 400 or 413 in OpenAI's error format, never a
 * 500 or no answer; and no uploaded file stays behind. The handler runs as the OpenAI routes run it, with its
 * {@link FailureHandler}, on a Vert.x server of the test's own on a free loopback port (the handler needs a real
 * request and connection).
 * <p>
 * {@code ./mvnw verify} runs it over its inputs in {@code src/test/resources/.../MultipartFuzzTestInputs/form/} (a
 * valid form, one without its closing boundary, and the findings), then fuzzes it for {@value #SHORT_RUN}
 * (docs/testing.md).
 */
class MultipartFuzzTest {

    /** How long the short fuzzing run lasts. */
    static final String SHORT_RUN = "5s";
    /** Bodies above it are refused with 413: small, so that the fuzzer reaches the limit too. */
    private static final long MAX_UPLOAD = 4096;
    /** Bodies up to it keep their file parts in memory, larger ones write them to files: the fuzzer reaches both. */
    private static final long IN_MEMORY = MAX_UPLOAD / 2;
    /** Far above any answer on a busy machine: an input still unanswered then hangs. */
    private static final long ANSWER_SECONDS = 30;

    private static Vertx vertx;
    private static HttpServer server;
    private static Path uploads;

    @BeforeAll
    static void start() throws Exception {
        uploads = Files.createTempDirectory("multipart-fuzz");
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.post("/form")
                .handler(new MultipartBodyHandler(MAX_UPLOAD, IN_MEMORY, uploads.toString(), OptionalLong.empty(),
                        new UploadTimeouts(Duration.ofSeconds(ANSWER_SECONDS / 2),
                                Duration.ofSeconds(ANSWER_SECONDS / 2), "quarkus.asr.openai-api")))
                .handler(ctx -> {
                    // what was stored of each part is all of it, and a file is still there
                    for (FileUpload upload : ctx.fileUploads()) {
                        long stored = switch (MultipartBodyHandler.audio(upload, "fuzzed")) {
                            case AudioInput.File file -> vertx.fileSystem().propsBlocking(file.path().toString()).size();
                            case AudioInput.Encoded encoded -> encoded.bytes().length;
                            case AudioInput.Samples samples -> -1;
                        };
                        assertThat(stored).isEqualTo(upload.size());
                    }
                    ctx.response().end("files=" + ctx.fileUploads().size());
                })
                .failureHandler(new FailureHandler(MAX_UPLOAD));
        // Quarkus hands requests to the router paused, as the handler expects
        server = vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            router.handle(request);
        }).listen(0, "localhost").toCompletionStage().toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            // files are deleted asynchronously once an exchange ends
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_SECONDS);
            while (leftovers() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(leftovers()).as("uploaded files left in %s", uploads).isZero();
            Files.delete(uploads);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static long leftovers() throws IOException {
        try (Stream<Path> files = Files.list(uploads)) {
            return files.count();
        }
    }

    @FuzzTest(maxDuration = SHORT_RUN)
    void form(byte[] body) throws IOException {
        Answer answer;
        // the requests go to the test's own server, on loopback
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections()) {
            answer = post(body);
        }
        assertThat(answer.status()).as(answer.body()).isIn(200, 400, 413);
        if (answer.status() != 200) {
            assertThat(answer.head()).as(answer.head()).containsIgnoringCase("content-type: application/json");
            assertThat(new JsonObject(answer.body()).getJsonObject("error").getString("message")).isNotBlank();
        }
    }

    /**
     * Sends the body whole, with its Content-Length, on a connection of its own (so that no input depends on the one
     * before), and reads the answer until the server closes the connection.
     */
    private static Answer post(byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", server.actualPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(ANSWER_SECONDS));
            OutputStream out = socket.getOutputStream();
            out.write(("POST /form HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = answer.indexOf("\r\n\r\n");
            assertThat(headEnd).as("an HTTP answer: %s", answer).isPositive();
            String head = answer.substring(0, headEnd);
            return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, answer.substring(headEnd + 4));
        }
    }

    private record Answer(int status, String head, String body) {
    }
}
