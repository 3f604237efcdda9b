package io.quarkiverse.asr.whisper.deployment.openai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.specification.RequestSpecification;

/**
 * The OpenAI-compatible endpoints over real HTTP with the real library and real audio: every response format,
 * timestamp granularities, translations, model routing, API keys and the errors for bad input.
 * <p>
 * The test-sized models run the whole pipeline but emit no text, so transcripts here have no segments; the formats
 * with segments are checked on hand-built transcripts in the runtime module's {@code TranscriptFormatsTest}.
 */
class OpenAiApiTest {

    static final String KEY = "sk-test-0123456789";
    static final Path UPLOADS = Path.of("target", "openai-uploads", "api-test").toAbsolutePath();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".model", OpenAiTestData.TINY_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".language", "de")
            .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.api-key", KEY)
            .overrideConfigKey("quarkus.asr.openai-api.uploads-directory", UPLOADS.toString())
            // smaller than jfk.wav: these endpoints apply max-upload-size (25M by default) instead
            .overrideConfigKey("quarkus.http.limits.max-body-size", "100K");

    private static RequestSpecification jfk() {
        return given().auth().oauth2(KEY).multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav");
    }

    @Test
    void jsonIsTheDefaultFormat() {
        jfk().multiPart("model", "whisper-1")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .header("Content-Type", "application/json")
                .body("text", equalTo(""))
                .body("usage.type", equalTo("duration"))
                .body("usage.seconds", equalTo(11));
    }

    @Test
    void textIsPlainText() {
        String body = jfk().multiPart("model", "whisper-1").multiPart("response_format", "text")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).header("Content-Type", "text/plain; charset=utf-8")
                .extract().asString();
        assertThat(body).isEqualTo("\n");
    }

    @Test
    void srtAndVttAreSubtitles() {
        String srt = jfk().multiPart("response_format", "srt")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).header("Content-Type", "text/plain; charset=utf-8")
                .extract().asString();
        assertThat(srt).as("no segments, no cues").isEmpty();

        String vtt = jfk().multiPart("response_format", "vtt")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).header("Content-Type", "text/plain; charset=utf-8")
                .extract().asString();
        assertThat(vtt).isEqualTo("WEBVTT\n\n");
    }

    @Test
    void verboseJsonDescribesTheAudio() {
        jfk().multiPart("model", "whisper-1").multiPart("response_format", "verbose_json")
                .multiPart("temperature", "0.2").multiPart("prompt", "Kennedy, Americans")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .header("Content-Type", "application/json")
                .body("task", equalTo("transcribe"))
                .body("language", equalTo("english"))
                .body("duration", equalTo(11.0f))
                .body("text", equalTo(""))
                .body("$", not(hasKey("words")))
                .body("usage.seconds", equalTo(11));
    }

    @Test
    void wordGranularityAddsWords() {
        jfk().multiPart("response_format", "verbose_json")
                .multiPart("timestamp_granularities[]", "word")
                .multiPart("timestamp_granularities[]", "segment")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .body("words", equalTo(List.of()))
                .body("language", equalTo("english"));
    }

    @Test
    void wordGranularityNeedsVerboseJson() {
        jfk().multiPart("response_format", "json").multiPart("timestamp_granularities[]", "word")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .header("Content-Type", "application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("timestamp_granularities"))
                .body("error.message", containsString("verbose_json"));
    }

    @Test
    void unknownGranularityIsRefused() {
        jfk().multiPart("response_format", "verbose_json").multiPart("timestamp_granularities[]", "sentence")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("timestamp_granularities"))
                .body("error.message", containsString("'sentence'"));
    }

    @Test
    void unknownResponseFormatIsRefused() {
        jfk().multiPart("response_format", "xml")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("response_format"))
                .body("error.code", equalTo("invalid_value"))
                .body("error.message", equalTo(
                        "'xml' is not one of ['json', 'text', 'srt', 'verbose_json', 'vtt'] - 'response_format'"));
    }

    @Test
    void temperatureMustBeANumberFrom0To1() {
        for (String temperature : new String[] { "1.5", "-0.1", "hot", "NaN" }) {
            jfk().multiPart("temperature", temperature)
                    .when().post("/v1/audio/transcriptions")
                    .then().statusCode(400)
                    .body("error.param", equalTo("temperature"));
        }
        jfk().multiPart("temperature", "1").when().post("/v1/audio/transcriptions").then().statusCode(200);
    }

    @Test
    void languageMustBeOneWhisperKnows() {
        jfk().multiPart("language", "xx")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("language"))
                .body("error.code", equalTo("unsupported_language"));
    }

    @Test
    void audioThatIsNotAudioIsABadRequest() {
        given().auth().oauth2(KEY)
                .multiPart("file", "notes.txt", "these are my notes, not a recording".getBytes(StandardCharsets.UTF_8),
                        "text/plain")
                .multiPart("model", "whisper-1")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .header("Content-Type", "application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("file"))
                .body("error.code", equalTo("invalid_audio"))
                .body("error.message", containsString("notes.txt"))
                .body("error.message", not(containsString(UPLOADS.toString())));
        given().auth().oauth2(KEY).multiPart("file", "empty.wav", new byte[0], "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("file"));
    }

    @Test
    void theFileIsRequired() {
        given().auth().oauth2(KEY).multiPart("model", "whisper-1")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("file"))
                .body("error.code", equalTo("missing_required_parameter"));
        given().auth().oauth2(KEY).multiPart("file", "jfk.wav").multiPart("model", "whisper-1")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("file"))
                .body("error.message", containsString("uploaded file"));
    }

    @Test
    void aPromptOverTheFormFieldLimitIsABadRequest() {
        // quarkus.http.limits.max-form-attribute-size, 2048 bytes by default
        jfk().multiPart("prompt", "Kennedy ".repeat(400))
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .header("Content-Type", "application/json")
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void onlyMultipartFormsAreAccepted() {
        given().auth().oauth2(KEY).contentType("application/json").body("{\"model\":\"whisper-1\"}")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.code", equalTo("invalid_content_type"));
    }

    @Test
    void onlyPostIsRouted() {
        int status = given().auth().oauth2(KEY).when().get("/v1/audio/transcriptions").statusCode();
        assertThat(status).isIn(404, 405);
    }

    @Test
    void anApiKeyIsRequired() {
        given().multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("You didn't provide an API key"))
                .body("error.code", nullValue());
        given().auth().oauth2("sk-wrong").multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav")
                .when().post("/v1/audio/translations")
                .then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.message", not(containsString("sk-wrong")));
        given().header("Authorization", "Basic " + KEY).multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(401);
        // the scheme is case-insensitive
        given().header("Authorization", "bearer " + KEY).multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200);
    }

    @Test
    void modelSelectsANamedProviderAndAnythingElseTheDefault() {
        // "multilingual" is configured with language=de, the default provider is English-only
        jfk().multiPart("model", "multilingual").multiPart("response_format", "verbose_json")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).body("language", equalTo("german"));
        jfk().multiPart("model", "multilingual").multiPart("response_format", "verbose_json")
                .multiPart("language", "fr")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).body("language", equalTo("french"));
        for (String model : new String[] { "whisper-1", "gpt-4o-transcribe", "multilingual2" }) {
            jfk().multiPart("model", model).multiPart("response_format", "verbose_json")
                    .when().post("/v1/audio/transcriptions")
                    .then().statusCode(200).body("language", equalTo("english"));
        }
    }

    @Test
    void translationsTranslateIntoEnglish() {
        jfk().multiPart("model", "multilingual")
                .when().post("/v1/audio/translations")
                .then().statusCode(200)
                .header("Content-Type", "application/json")
                .body("text", equalTo(""));
        jfk().multiPart("model", "multilingual").multiPart("response_format", "verbose_json")
                .when().post("/v1/audio/translations")
                .then().statusCode(200)
                .body("task", equalTo("translate"))
                .body("duration", equalTo(11.0f));
        String vtt = jfk().multiPart("model", "multilingual").multiPart("response_format", "vtt")
                .when().post("/v1/audio/translations")
                .then().statusCode(200).header("Content-Type", "text/plain; charset=utf-8")
                .extract().asString();
        assertThat(vtt).startsWith("WEBVTT\n\n");
    }

    @Test
    void englishOnlyModelsCannotTranslate() {
        jfk().multiPart("model", "whisper-1")
                .when().post("/v1/audio/translations")
                .then().statusCode(400)
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("unsupported_feature"))
                .body("error.message", containsString("English-only"));
    }

    @Test
    void uploadsAreDeletedOnceAnswered() throws Exception {
        jfk().when().post("/v1/audio/transcriptions").then().statusCode(200);
        given().auth().oauth2(KEY).multiPart("file", "notes.txt", "not audio".getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/audio/transcriptions").then().statusCode(400);
        jfk().multiPart("response_format", "xml").when().post("/v1/audio/transcriptions").then().statusCode(400);
        assertThat(OpenAiTestData.await(OpenAiApiTest::uploadsLeft, 0, Duration.ofSeconds(10)))
                .as("uploads left in " + UPLOADS).isTrue();
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
}
