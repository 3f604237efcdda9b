package io.quarkiverse.asr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.WavEncoder;
import io.quarkiverse.asr.whisper.natives.testjvm.Await;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * What the fuzzing of issue 12 sent to the demo's {@code POST /transcribe}, over raw sockets: each gets a typed 4xx
 * with a JSON body that names what was wrong, as the OpenAI-compatible API answers the same requests; a client that
 * goes away stops its transcription.
 */
@QuarkusTest
class BadRequestsTest {

    static final String BOUNDARY = "bad-request";
    /** {@code %test.quarkus.asr.http.upload-idle-timeout} in the demo's application.properties. */
    static final Duration UPLOAD_IDLE_TIMEOUT = Duration.ofSeconds(5);
    /** {@code %test.quarkus.asr.http.upload-timeout} in the demo's application.properties. */
    static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    WhisperAsrProvider whisper;

    @Test
    void aMultipartBodyWithoutItsClosingBoundaryIs400() throws Exception {
        byte[] body = form(Files.readAllBytes(TestData.SPEECH.file()), false);
        for (String path : new String[] { "/transcribe", "/v1/audio/transcriptions" }) {
            Answer answer = exchange(path, "multipart/form-data; boundary=" + BOUNDARY, body);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.message()).as(path).containsIgnoringCase("boundary");
        }
    }

    @Test
    void aMultipartContentTypeWithoutBoundaryIs400() throws Exception {
        byte[] body = form(Files.readAllBytes(TestData.SPEECH.file()), true);
        for (String path : new String[] { "/transcribe", "/v1/audio/transcriptions" }) {
            Answer answer = exchange(path, "multipart/form-data", body);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.message()).as(path).contains("boundary");
        }
    }

    /**
     * A client that writes its whole body before reading, as most do, must see the answer to a request refused before
     * its body was read: the edges read the rest and drop it before closing. 16 MB is far more than the socket buffers
     * hold, so closing at once breaks the client's write (seen before the demo's endpoint drained).
     */
    @Test
    void aRefusedUploadIsReadToItsEndSoTheClientSeesTheAnswer() throws Exception {
        byte[] body = new byte[16 << 20];
        for (String path : new String[] { "/transcribe", "/v1/audio/transcriptions" }) {
            assertThat(exchange(path, "multipart/form-data", body).status()).as(path).isEqualTo(400);
        }
        // an unsupported media type: 415 from the demo's endpoint, 400 invalid_content_type from the OpenAI one
        assertThat(exchange("/transcribe", "text/plain", body).status()).isEqualTo(415);
        assertThat(exchange("/v1/audio/transcriptions", "text/plain", body).status()).isEqualTo(400);
    }

    @Test
    void parametersThatAreNotValuesAre400OnBothEdgesAlike() throws Exception {
        byte[] audio = Files.readAllBytes(TestData.SPEECH.file());
        assertThat(exchange("/transcribe?beamSize=abc", "audio/wav", audio).message())
                .isEqualTo("'abc' is not a valid beamSize: use a whole number.");
        assertThat(exchange("/transcribe?translate=maybe", "audio/wav", audio).message())
                .isEqualTo("'maybe' is not a valid translate: use true or false.");
        assertThat(exchange("/transcribe", "multipart/form-data; boundary=" + BOUNDARY,
                form(audio, true, "beamSize", "99")).message())
                .isEqualTo("'99' is not a valid beamSize: it must be between 1 and 16.");
        // one table of languages: refused alike at both edges, with the same message
        Answer rest = exchange("/transcribe?language=xx", "audio/wav", audio);
        Answer openAi = exchange("/v1/audio/transcriptions", "multipart/form-data; boundary=" + BOUNDARY,
                form(audio, true, "language", "xx"));
        assertThat(rest.status()).isEqualTo(400);
        assertThat(openAi.status()).isEqualTo(400);
        assertThat(rest.message()).isEqualTo(openAi.message()).startsWith("'xx' is not a supported language");
    }

    @Test
    void twoFilePartsAre400() throws Exception {
        byte[] audio = Files.readAllBytes(TestData.SPEECH.file());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(form(audio, false));
        body.writeBytes(form(audio, true));
        for (String path : new String[] { "/transcribe", "/v1/audio/transcriptions" }) {
            Answer answer = exchange(path, "multipart/form-data; boundary=" + BOUNDARY, body.toByteArray());
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.message()).as(path).containsIgnoringCase("one").contains("file");
        }
    }

    @Test
    void anUnsupportedMediaTypeIs415WithABody() throws Exception {
        Answer answer = exchange("/transcribe", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.message()).contains("text/plain").contains("audio/wav").contains("multipart/form-data");
    }

    @Test
    void aBodyOverTheLimitIs413WithABody() throws Exception {
        try (Socket socket = connect()) {
            // the headers only: the limit is checked on the declared length, before the body
            socket.getOutputStream().write(head("/transcribe", "audio/wav", 200_000_000));
            Answer answer = read(socket);
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.message()).contains("104857600").contains("max-body-size");
        }
    }

    @Test
    void aClientThatStallsAfterTenBytesIs408AndDisconnected() throws Exception {
        byte[] body = form(Files.readAllBytes(TestData.SPEECH.file()), true);
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write(head("/transcribe", "multipart/form-data; boundary=" + BOUNDARY,
                    body.length));
            socket.getOutputStream().write(body, 0, 10);
            socket.getOutputStream().flush();
            Answer answer = read(socket);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.message()).contains("upload-idle-timeout");
            assertThat(socket.getInputStream().read()).as("the connection is closed after the answer").isEqualTo(-1);
            assertThat(waited).as("not before the idle timeout").isGreaterThanOrEqualTo(UPLOAD_IDLE_TIMEOUT);
        }
    }

    @Test
    void aClientThatTricklesIs408AtTheUploadTimeout() throws Exception {
        byte[] body = form(Files.readAllBytes(TestData.SPEECH.file()), true);
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(head("/transcribe", "multipart/form-data; boundary=" + BOUNDARY, body.length));
            // a byte every half idle timeout: never idle, yet far from done when the upload timeout passes; at most 60
            // bytes (two and a half minutes), a hang guard: then the read below times out
            int sent = 0;
            try {
                while (socket.getInputStream().available() == 0 && sent < 60) {
                    out.write(body[sent++]);
                    out.flush();
                    Thread.sleep(UPLOAD_IDLE_TIMEOUT.toMillis() / 2);
                }
            } catch (IOException e) {
                // the server closed the connection after its answer
            }
            Answer answer = read(socket);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(sent).as("answered while the body was trickling").isLessThan(60);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.message()).contains("upload-timeout").doesNotContain("upload-idle-timeout");
            assertThat(waited).as("not before the upload timeout").isGreaterThanOrEqualTo(UPLOAD_TIMEOUT);
        }
    }

    @Test
    void aClientThatGoesAwayStopsItsTranscription() throws Exception {
        assertThat(Await.until(whisper::activeTranscriptions, 0, Duration.ofSeconds(30))).isTrue();
        // ten minutes of speech: twenty whisper windows, far more work than the wait below
        float[] once = AudioInput.of(TestData.AUDIO.resolve("synthetic/long-form.wav")).decode(16_000).samples();
        float[] five = new float[once.length * 5];
        for (int i = 0; i < 5; i++) {
            System.arraycopy(once, 0, five, i * once.length, once.length);
        }
        byte[] body = form(WavEncoder.encode(new PcmAudio(five, 16_000)), true);
        Socket socket = connect();
        socket.getOutputStream().write(head("/transcribe", "multipart/form-data; boundary=" + BOUNDARY, body.length));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
        assertThat(Await.until(whisper::activeTranscriptions, 1, Duration.ofSeconds(60))).as("transcribing").isTrue();
        socket.close();
        assertThat(Await.until(whisper::activeTranscriptions, 0, Duration.ofSeconds(15)))
                .as("whisper.cpp was aborted when the client went away").isTrue();
    }

    static byte[] form(byte[] audio, boolean closed, String... fields) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fields[i]
                    + "\"\r\n\r\n" + fields[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(audio);
        body.writeBytes(("\r\n" + (closed ? "--" + BOUNDARY + "--\r\n" : "")).getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    static byte[] head(String path, String contentType, long length) {
        return ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static Socket connect() throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        // far past any answer's time: a hang fails the test instead of blocking the build
        socket.setSoTimeout(60_000);
        return socket;
    }

    /** A status and the error message of its JSON body. */
    record Answer(int status, String message) {
    }

    static Answer exchange(String path, String contentType, byte[] body) throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(path, contentType, body.length));
            out.write(body);
            out.flush();
            return read(socket);
        }
    }

    static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("an answer before the connection closed: " + head).isNotNegative();
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int length = -1;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        assertThat(length).as("a body with a Content-Length: " + head).isPositive();
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        assertThat(head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT))
                .as(body).contains("content-type: application/json");
        JsonObject error = new JsonObject(body).getJsonObject("error");
        assertThat(error).as(body).isNotNull();
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), error.getString("message"));
    }
}
