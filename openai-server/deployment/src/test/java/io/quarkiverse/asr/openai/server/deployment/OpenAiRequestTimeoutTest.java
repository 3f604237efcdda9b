package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.whisper.natives.testjvm.Await;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;

/** A transcription that outlasts {@code request-timeout} is answered with 504 and stopped. */
class OpenAiRequestTimeoutTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.request-timeout", "1s");

    @Inject
    WhisperAsrProvider whisper;

    @Test
    void aTranscriptionOverTheTimeoutIs504AndStops() throws Exception {
        long start = System.nanoTime();
        given().multiPart("file", OpenAiTestData.longAudio().toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(504)
                .header("Content-Type", "application/json")
                .body("error.type", equalTo("server_error"))
                .body("error.code", equalTo("timeout"));
        long answeredMillis = (System.nanoTime() - start) / 1_000_000;
        // the 1 s limit, with room for a loaded machine: short of what the long audio takes to decode whole
        assertThat(answeredMillis).as("answered after %d ms", answeredMillis).isBetween(1_000L, 20_000L);
        assertThat(Await.until(whisper::activeTranscriptions, 0, Duration.ofSeconds(15)))
                .as("whisper.cpp was aborted at the timeout").isTrue();
    }
}
