package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Without {@code quarkus.asr.openai-api.enabled} and {@code quarkus.asr.openai-api.live.enabled}, the endpoints and the
 * WebSocket do not exist.
 */
class OpenAiApiDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.load-on-startup", "false");

    @Test
    void noRouteByDefault() {
        // what any path without a route answers (404, or 405 where a GET-only catch-all route matches)
        int none = post("/no/such/route");
        assertThat(none).isIn(404, 405);
        assertThat(post("/v1/audio/transcriptions")).isEqualTo(none);
        assertThat(post("/v1/audio/translations")).isEqualTo(none);
        assertThat(given().when().get("/v1/audio/live").statusCode())
                .isEqualTo(given().when().get("/no/such/route").statusCode());
    }

    private static int post(String path) {
        var response = given().multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav")
                .multiPart("model", "whisper-1")
                .when().post(path);
        assertThat(response.asString()).doesNotContain("invalid_request_error");
        return response.statusCode();
    }
}
