package io.quarkiverse.asr.it;

import static io.restassured.RestAssured.given;
import static io.quarkiverse.asr.it.TestData.SPEECH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkus.test.junit.QuarkusTest;

/** The demo application's HTTP API, over real HTTP, with real audio through the real library. */
@QuarkusTest
class TranscriptionResourceTest {

    @Test
    void transcribesAWavBody() {
        String text = given().contentType("audio/wav").body(SPEECH.file().toFile())
                .when().post("/transcribe")
                .then().statusCode(200)
                .body("language", equalTo("en"))
                .body("duration", closeTo(SPEECH.seconds(), 0.01f))
                .body("segments", not(empty()))
                .extract().path("text");
        assertThat(WordErrorRate.of(SPEECH.reference(), text).wer()).as(text)
                .isLessThanOrEqualTo(SPEECH.maxWordErrorRate());
    }

    @Test
    void transcribesAMultipartUpload() {
        given().multiPart("file", SPEECH.file().toFile(), "audio/wav").multiPart("language", "en")
                .when().post("/transcribe")
                .then().statusCode(200)
                .body("language", equalTo("en"))
                .body("duration", closeTo(SPEECH.seconds(), 0.01f));
    }

    static Stream<Path> formatVariants() throws IOException {
        try (Stream<Path> files = Files.list(SPEECH.formats())) {
            return files.sorted().toList().stream();
        }
    }

    /** jfk.* or sNN-*.* and the WAV they were made from, jfk.wav or sNN.wav. */
    @ParameterizedTest
    @MethodSource("formatVariants")
    void everyFormatVariantDecodesToTheDurationOfItsWav(Path file) {
        String name = file.getFileName().toString();
        Path wav = SPEECH.formats().resolveSibling(name.split("[-.]", 2)[0] + ".wav");
        float seconds = given().contentType("audio/wav").body(wav.toFile())
                .when().post("/transcribe")
                .then().statusCode(200)
                .extract().path("duration");
        float variant = given().contentType("application/octet-stream").body(file.toFile())
                .when().post("/transcribe")
                .then().statusCode(200)
                .extract().path("duration");
        assertThat(variant).as(name).isCloseTo(seconds, within(0.1f));
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
        byte[] header = Files.readAllBytes(SPEECH.file());
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
        given().contentType("audio/wav").body(SPEECH.file().toFile()).queryParam("language", "english!")
                .when().post("/transcribe")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request"))
                .body("error.message", containsString("language"));
        given().contentType("audio/wav").body(SPEECH.file().toFile()).queryParam("temperature", "7")
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

    /** JSON numbers come back as floats. */
    private static Matcher<Float> closeTo(double expected, float tolerance) {
        return allOf(greaterThan((float) expected - tolerance), lessThan((float) expected + tolerance));
    }
}
