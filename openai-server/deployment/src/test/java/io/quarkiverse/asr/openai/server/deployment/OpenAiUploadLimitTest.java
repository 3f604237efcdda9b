package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;

import io.quarkiverse.asr.whisper.natives.testjvm.Await;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * The upload limit (413 whether the size is declared up front or found while streaming), the form field limit (400),
 * uploads kept in memory or written to files by their size, and model routing when only named providers exist (404 for other model names, 400 without one). No API key is
 * configured here: requests need none.
 */
class OpenAiUploadLimitTest {

    static final Path UPLOADS = Path.of("target", "openai-uploads", "limit-test").toAbsolutePath();
    static final String BOUNDARY = "limit-test";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.\"small\".model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"small\".threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.path", "/openai/v1/")
            .overrideConfigKey("quarkus.asr.openai-api.max-upload-size", "64K")
            // SHORT and the bodies of the tests of a file's close are written to files, shorter ones kept in memory
            .overrideConfigKey("quarkus.asr.openai-api.in-memory-upload-size", "32K")
            .overrideConfigKey("quarkus.asr.openai-api.uploads-directory", UPLOADS.toString());

    /** 1.5 s of audio, 48 kB: within the limit. */
    static final byte[] SHORT = OpenAiTestData.toneWav(1.5);

    @Test
    void anUploadOverTheLimitIs413() {
        // jfk.wav is 344 kB
        given().multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav").multiPart("model", "small")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(413)
                .header("Content-Type", "application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("request_too_large"))
                .body("error.message", containsString("65536"));
    }

    @Test
    void aStreamedUploadOverTheLimitIs413() throws Exception {
        // no Content-Length: the limit is found while the body arrives
        String boundary = "limit-test";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsmall\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jfk.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(OpenAiTestData.JFK));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] bytes = body.toByteArray();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/openai/v1/audio/transcriptions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
                    .isEqualTo("request_too_large");
        }
    }

    /**
     * A field over {@code quarkus.http.limits.max-form-attribute-size} (2048 bytes) right after the file, in the same
     * packet as the file's end: Vert.x finds the field too large while the file that has just ended is being closed.
     * The file part arrives first and the server gets time to open its file and write, so every round meets that
     * window; Vert.x Web's body handler answered most of them with 500.
     */
    @Test
    void aFieldOverTheFormLimitRightAfterTheFileIs400() throws Exception {
        byte[] audio = OpenAiTestData.toneWav(1.0);
        int split = audio.length - 1000;
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.writeBytes(partHead("file", "tone.wav"));
        first.write(audio, 0, split);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        second.write(audio, split, audio.length - split);
        second.writeBytes(("\r\n" + new String(partHead("prompt", null), StandardCharsets.UTF_8)
                + "Kennedy ".repeat(400) + "\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        for (int round = 0; round < ROUNDS; round++) {
            Answer answer = sendInTwoParts(first.toByteArray(), second.toByteArray(), false);
            assertThat(answer.status()).as("round %d: %s", round, answer.body()).isEqualTo(400);
            JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
            assertThat(error.getString("code")).isEqualTo("field_too_large");
            assertThat(error.getString("message")).contains("too large").contains("2048 bytes");
        }
        assertThat(Await.until(OpenAiUploadLimitTest::uploadsLeft, 0, Duration.ofSeconds(10)))
                .as("uploads left in " + UPLOADS).isTrue();
    }

    /**
     * A streamed body whose last packet ends the file and takes the body over the limit: the same window as
     * {@link #aFieldOverTheFormLimitRightAfterTheFileIs400()}, met by the size check.
     */
    @Test
    void aStreamedUploadThatEndsOverTheLimitIs413() throws Exception {
        byte[] audio = OpenAiTestData.toneWav(2.2);
        byte[] head = partHead("file", "tone.wav");
        // 500 bytes short of 64 KiB, then the rest of the file and the closing boundary
        int split = 65_536 - 500 - head.length;
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.writeBytes(head);
        first.write(audio, 0, split);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        second.write(audio, split, 1_000);
        second.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        for (int round = 0; round < ROUNDS; round++) {
            Answer answer = sendInTwoParts(first.toByteArray(), second.toByteArray(), true);
            assertThat(answer.status()).as("round %d: %s", round, answer.body()).isEqualTo(413);
            JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
            assertThat(error.getString("code")).isEqualTo("request_too_large");
        }
        assertThat(Await.until(OpenAiUploadLimitTest::uploadsLeft, 0, Duration.ofSeconds(10)))
                .as("uploads left in " + UPLOADS).isTrue();
    }

    /** Clients that wait for {@code 100 Continue} before the body get it. */
    @Test
    void aClientExpecting100ContinueIsAnswered() throws Exception {
        HttpResponse<String> response = postWithLength(SHORT, true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).containsKey("text")).isTrue();
    }

    /**
     * A file that cannot be stored is the server's failure, not the client's; a body whose Content-Length is within
     * {@code in-memory-upload-size} needs no file and is answered.
     */
    @Test
    void anUploadThatCannotBeStoredIs500AndOneKeptInMemoryIsAnswered() throws Exception {
        assertThat(Await.until(OpenAiUploadLimitTest::uploadsLeft, 0, Duration.ofSeconds(10))).isTrue();
        // the uploads directory becomes a regular file: no upload can be written
        Files.deleteIfExists(UPLOADS);
        Files.createDirectories(UPLOADS.getParent());
        Files.writeString(UPLOADS, "not a directory");
        try {
            HttpResponse<String> stored = postWithLength(SHORT, false);
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(500);
            assertThat(new JsonObject(stored.body()).getJsonObject("error").getString("type")).isEqualTo("server_error");
            HttpResponse<String> inMemory = postWithLength(OpenAiTestData.toneWav(0.5), false);
            assertThat(inMemory.statusCode()).as(inMemory.body()).isEqualTo(200);
            assertThat(new JsonObject(inMemory.body()).getDouble("duration")).isEqualTo(0.5);
        } finally {
            Files.delete(UPLOADS);
        }
    }

    /**
     * Uploads {@code audio} for the {@code small} model with a Content-Length, as OpenAI's SDKs and curl do, waiting
     * for {@code 100 Continue} before the body if asked.
     */
    private static HttpResponse<String> postWithLength(byte[] audio, boolean expectContinue) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(partHead("model", null));
        body.writeBytes("small\r\n".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(partHead("response_format", null));
        body.writeBytes("verbose_json\r\n".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(partHead("file", "tone.wav"));
        body.writeBytes(audio);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/openai/v1/audio/transcriptions"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .expectContinue(expectContinue)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A body over {@code in-memory-upload-size}, whose file is written, that ends early is refused as a short one. */
    @Test
    void aBodyWrittenToAFileWithoutItsClosingBoundaryIs400() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(partHead("file", "tone.wav"));
        body.writeBytes(SHORT);
        Answer answer = sendInTwoParts(body.toByteArray(), new byte[0], false);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("message")).contains("closing boundary '--" + BOUNDARY + "--'");
        assertThat(Await.until(OpenAiUploadLimitTest::uploadsLeft, 0, Duration.ofSeconds(10)))
                .as("uploads left in " + UPLOADS).isTrue();
    }

    static final int ROUNDS = 20;

    record Answer(int status, String body) {
    }

    private static byte[] partHead(String name, String filename) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"\r\nContent-Type: audio/wav")
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends a multipart request over a plain socket in two writes 50 ms apart, with a {@code Content-Length} or
     * chunked, and reads the answer.
     */
    private static Answer sendInTwoParts(byte[] first, byte[] second, boolean chunked) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /openai/v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n"
                            : "Content-Length: " + (first.length + second.length) + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            writePart(out, first, chunked);
            out.flush();
            Thread.sleep(50);
            writePart(out, second, chunked);
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            // the refusal says Connection: close, and the server closes once it has read the rest of the body
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(response.indexOf(' ') + 1, response.indexOf(' ') + 4));
            return new Answer(status, response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }

    private static void writePart(OutputStream out, byte[] data, boolean chunked) throws IOException {
        if (chunked) {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(data);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    static int uploadsLeft() {
        if (!Files.isDirectory(UPLOADS)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(UPLOADS)) {
            return (int) files.count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void withinTheLimitANamedProviderAnswers() {
        given().multiPart("file", "tone.wav", SHORT, "audio/wav").multiPart("model", "small")
                .multiPart("response_format", "verbose_json")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(200)
                .body("duration", equalTo(1.5f))
                .body("language", equalTo("english"));
    }

    @Test
    void withoutADefaultProviderOtherModelNamesAre404() {
        given().multiPart("file", "tone.wav", SHORT, "audio/wav").multiPart("model", "whisper-1")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(404)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("model_not_found"))
                .body("error.message", equalTo("The model `whisper-1` does not exist. Use one of: small."));
        given().multiPart("file", "tone.wav", SHORT, "audio/wav")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("missing_required_parameter"));
    }

    @Test
    void theSdkSeesA404AsNotFound() throws Exception {
        Path tone = OpenAiTestData.write(OpenAiTestData.WORK.resolve("tone-1.5s.wav"), SHORT);
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port + "/openai/v1")
                .apiKey("unused")
                .maxRetries(0)
                .build();
        try {
            assertThatThrownBy(() -> client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                    .file(tone).model("whisper-1").build()))
                    .isInstanceOfSatisfying(NotFoundException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(404);
                        assertThat(e.code()).contains("model_not_found");
                        assertThat(e.param()).contains("model");
                    });
            assertThat(client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                    .file(tone).model("small").build()).asTranscription().text()).isEmpty();
        } finally {
            client.close();
        }
    }
}
