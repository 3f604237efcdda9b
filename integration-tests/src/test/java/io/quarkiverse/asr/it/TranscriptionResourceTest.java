package io.quarkiverse.asr.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;

/** The demo application's HTTP API, over real HTTP, with real audio through the real library. */
@QuarkusTest
class TranscriptionResourceTest {

    @Test
    void transcribesAWavBody() {
        given().contentType("audio/wav").body(TestData.JFK.toFile())
                .when().post("/transcribe")
                .then().statusCode(200)
                .body("language", equalTo("en"))
                .body("duration", allOf(greaterThan(10.99f), lessThan(11.01f)))
                .body("segments", notNullValue())
                .body("$", hasKey("text"));
    }

    @Test
    void transcribesAMultipartUpload() {
        given().multiPart("file", TestData.JFK.toFile(), "audio/wav").multiPart("language", "en")
                .when().post("/transcribe")
                .then().statusCode(200)
                .body("language", equalTo("en"))
                .body("duration", allOf(greaterThan(10.99f), lessThan(11.01f)));
    }

    static Stream<Path> formatVariants() throws IOException {
        try (Stream<Path> files = Files.list(TestData.AUDIO.resolve("formats"))) {
            return files.sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("formatVariants")
    void everyFormatVariantDecodesToTheSameDuration(Path file) {
        given().contentType("application/octet-stream").body(file.toFile())
                .when().post("/transcribe")
                .then().statusCode(200)
                .body("duration", allOf(greaterThan(10.9f), lessThan(11.1f)));
    }

    @Test
    void rejectsDataThatIsNotAudioWith400() {
        given().contentType("application/octet-stream").body("this is not audio at all, just some text".getBytes())
                .when().post("/transcribe")
                .then().statusCode(400)
                .body("error.type", equalTo("unsupported_audio"))
                .body("error.message", notNullValue());
    }

    @Test
    void rejectsATruncatedWavWith400() throws IOException {
        byte[] header = Files.readAllBytes(TestData.JFK);
        byte[] truncated = java.util.Arrays.copyOf(header, 30);
        given().contentType("audio/wav").body(truncated)
                .when().post("/transcribe")
                .then().statusCode(400)
                .body("error.type", equalTo("unsupported_audio"));
    }

    @Test
    void rejectsAnEmptyBodyWith400() {
        given().contentType("audio/wav").body(new byte[0])
                .when().post("/transcribe")
                .then().statusCode(400)
                .body("error.type", equalTo("unsupported_audio"));
    }

    @Test
    void rejectsAMultipartFormWithoutFileWith400() {
        given().multiPart("language", "en")
                .when().post("/transcribe")
                .then().statusCode(400)
                .body("error.message", containsString("'file'"));
    }

    @Test
    void servesTheOpenAiCompatibleApiToo() {
        given().multiPart("file", TestData.JFK.toFile(), "audio/wav").multiPart("model", "whisper-1")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .body("usage.seconds", equalTo(11));
        given().multiPart("file", "notes.txt", "not audio".getBytes(), "text/plain")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.code", equalTo("unsupported_audio"))
                .body("error.param", equalTo("file"));
    }

    @Test
    void rejectsInvalidOptionsWith400() {
        given().contentType("audio/wav").body(TestData.JFK.toFile()).queryParam("language", "english!")
                .when().post("/transcribe")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request"))
                .body("error.message", containsString("language"));
        given().contentType("audio/wav").body(TestData.JFK.toFile()).queryParam("temperature", "7")
                .when().post("/transcribe")
                .then().statusCode(400)
                .body("error.message", containsString("temperature"));
    }

    @Test
    void isReadyWithTheBundledLibrary() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.libraryVersion", equalTo("1.7.1"));
    }
}
