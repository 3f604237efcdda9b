package io.quarkiverse.asr.it;

import static io.quarkiverse.asr.it.TestData.SPEECH;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged demo application, the jar that the README's first command builds and runs: Quarkus starts it as
 * {@code java -jar target/quarkus-app/quarkus-run.jar}, with the model the package holds, and the test asks it over
 * HTTP.
 */
@QuarkusIntegrationTest
class PackagedApplicationIT {

    @Test
    void transcribesOnItsOwnEndpoint() {
        String text = given().contentType("audio/wav").body(SPEECH.file().toFile())
                .when().post("/transcribe")
                .then().statusCode(200)
                .body("language", equalTo("en"))
                .extract().path("text");
        assertTranscribed(text);
    }

    @Test
    void transcribesOnTheOpenAiCompatibleApi() {
        String text = given().multiPart("file", SPEECH.file().toFile(), "audio/wav").multiPart("model", "whisper-1")
                .multiPart("response_format", "text")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .extract().asString();
        assertTranscribed(text);
    }

    @Test
    void answersACutRecordingWith400() throws IOException {
        byte[] cut = Arrays.copyOf(Files.readAllBytes(SPEECH.file()), 40);
        given().multiPart("file", "cut.wav", cut, "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.code", equalTo("unsupported_audio"))
                .body("error.param", equalTo("file"));
    }

    private static void assertTranscribed(String text) {
        assertThat(WordErrorRate.of(SPEECH.reference(), text).wer()).as(text)
                .isLessThanOrEqualTo(SPEECH.maxWordErrorRate());
    }
}
