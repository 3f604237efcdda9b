package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;

import io.quarkiverse.asr.whisper.natives.testjvm.Await;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * One worker and no queue: a second request while one runs is refused with 503 and Retry-After, before its body is
 * read; a client that goes away stops its transcription, so the worker is free again within moments instead of after
 * minutes of audio, and the cancellation is logged at DEBUG with the request's id.
 */
class OpenAiOverloadTest {

    static final String KEY = "sk-overload";
    static final Path UPLOADS = Path.of("target", "openai-uploads", "overload-test").toAbsolutePath();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.whisper.max-concurrent-requests", "1")
            .overrideConfigKey("quarkus.asr.whisper.max-queued-requests", "0")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.api-key", KEY)
            .overrideConfigKey("quarkus.asr.openai-api.uploads-directory", UPLOADS.toString())
            .overrideConfigKey("quarkus.log.category.\"io.quarkiverse.asr.openai.server.runtime\".level", "DEBUG")
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("io.quarkiverse.asr.openai.server.runtime"))
            // aClientThatGoesAwayStopsItsTranscription
            .assertLogRecords(records -> assertThat(records).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.FINE);
                assertThat(((ExtLogRecord) r).getFormattedMessage()).matches(
                        "POST /v1/audio/transcriptions \\[asr-\\d+\\]: the client went away; its transcription is "
                                + "cancelled");
            }));

    @Inject
    WhisperAsrProvider whisper;

    @Test
    void aSecondRequestWhileTheOnlyWorkerIsBusyIs503WithRetryAfter() throws Exception {
        try (Socket running = startLongTranscription()) {
            try (Socket waiting = new Socket("localhost", RestAssured.port)) {
                waiting.setSoTimeout(30_000);
                // the headers of a 10 MB upload, and not a byte of it: the answer does not wait for the body, and the
                // connection is closed when the short wait for the body has passed
                waiting.getOutputStream().write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + KEY + "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                        + "Content-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                waiting.getOutputStream().flush();
                String answer = new String(waiting.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("connection: close")
                        .containsPattern("(?i)retry-after: [1-9][0-9]*\r\n");
            }

            given().auth().oauth2(KEY).multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav")
                    .when().post("/v1/audio/transcriptions")
                    .then().statusCode(503)
                    .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                    .header("Content-Type", "application/json")
                    .body("error.type", equalTo("server_error"))
                    .body("error.code", equalTo("overloaded"));

            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl("http://localhost:" + RestAssured.port + "/v1").apiKey(KEY).maxRetries(0).build();
            try {
                assertThatThrownBy(() -> client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                        .file(OpenAiTestData.JFK).model("whisper-1").build()))
                        .isInstanceOfSatisfying(InternalServerException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(503);
                            assertThat(e.code()).contains("overloaded");
                            assertThat(e.headers().values("Retry-After")).singleElement(STRING)
                                    .matches("[1-9][0-9]*");
                        });
            } finally {
                client.close();
            }
        }
        assertThat(Await.until(whisper::activeTranscriptions, 0, Duration.ofSeconds(15))).isTrue();
    }

    @Test
    void aClientThatGoesAwayStopsItsTranscription() throws Exception {
        Socket running = startLongTranscription();
        running.close();
        // generous for a loaded machine, yet well short of the minutes the whole long audio takes to decode
        assertThat(Await.until(whisper::activeTranscriptions, 0, Duration.ofSeconds(15)))
                .as("whisper.cpp was aborted when the client went away").isTrue();
        assertThat(Await.until(() -> OpenAiTestData.filesIn(UPLOADS), 0, Duration.ofSeconds(15)))
                .as("the abandoned upload was deleted").isTrue();

        // the worker is free for the next request
        given().auth().oauth2(KEY).multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200);
    }

    /** Uploads six minutes of audio and returns once whisper.cpp is working on it. */
    private Socket startLongTranscription() throws Exception {
        assertThat(Await.until(whisper::activeTranscriptions, 0, Duration.ofSeconds(30))).isTrue();
        Socket socket = OpenAiTestData.sendWithoutReading(RestAssured.port, "/v1/audio/transcriptions",
                OpenAiTestData.longAudio(), Map.of("model", "whisper-1"), KEY);
        assertThat(Await.until(whisper::activeTranscriptions, 1, Duration.ofSeconds(30)))
                .as("the long transcription started").isTrue();
        return socket;
    }
}
