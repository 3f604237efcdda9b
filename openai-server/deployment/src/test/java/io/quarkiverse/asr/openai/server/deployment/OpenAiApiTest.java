package io.quarkiverse.asr.openai.server.deployment;

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

import io.quarkiverse.asr.openai.server.deployment.OpenAiTestData.Timed;
import io.quarkiverse.asr.whisper.natives.testjvm.Await;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAI-compatible endpoints over real HTTP with the real library and real audio: every response format,
 * timestamp granularities, translations, model routing, API keys and the errors for bad input.
 * <p>
 * The providers run the random-weight models, so every format carries real decoder output: each is checked against
 * the segments of the {@code verbose_json} answer for the same audio.
 */
class OpenAiApiTest {

    static final String KEY = "sk-test-0123456789";
    static final Path UPLOADS = Path.of("target", "openai-uploads", "api-test").toAbsolutePath();

    @RegisterExtension
    static final QuarkusUnitTest app = OpenAiTestData.appWithRandomWeightModels()
            .overrideConfigKey("quarkus.asr.openai-api.api-key", KEY)
            .overrideConfigKey("quarkus.asr.openai-api.uploads-directory", UPLOADS.toString())
            // smaller than jfk.wav: these endpoints apply max-upload-size (25M by default) instead
            .overrideConfigKey("quarkus.http.limits.max-body-size", "100K");

    private static RequestSpecification jfk() {
        return given().auth().oauth2(KEY).multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav");
    }

    /** jfk.wav in {@code verbose_json} with the default options: what the other formats are held to. */
    private static JsonObject reference() {
        return new JsonObject(jfk().multiPart("response_format", "verbose_json")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).extract().asString());
    }

    /** The segments of a {@code verbose_json} answer as subtitle cues show them: their times, their text stripped. */
    private static List<Timed> segments(JsonObject verbose) {
        return verbose.getJsonArray("segments").stream().map(JsonObject.class::cast)
                .map(s -> new Timed(OpenAiTestData.millis(s.getDouble("start")),
                        OpenAiTestData.millis(s.getDouble("end")), s.getString("text").strip()))
                .toList();
    }

    @Test
    void jsonIsTheDefaultFormat() {
        String text = reference().getString("text");
        assertThat(text).isNotBlank();

        jfk().multiPart("model", "whisper-1")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .header("Content-Type", "application/json")
                .body("text", equalTo(text))
                .body("usage.type", equalTo("duration"))
                .body("usage.seconds", equalTo(11));
    }

    @Test
    void textIsPlainText() {
        String body = jfk().multiPart("model", "whisper-1").multiPart("response_format", "text")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).header("Content-Type", "text/plain; charset=utf-8")
                .extract().asString();
        assertThat(body).isEqualTo(reference().getString("text") + "\n").isNotBlank();
    }

    @Test
    void srtAndVttCuesAreTheSegments() {
        List<Timed> segments = segments(reference());
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);

        String srt = jfk().multiPart("response_format", "srt")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).header("Content-Type", "text/plain; charset=utf-8")
                .extract().asString();
        assertThat(OpenAiTestData.cues(srt, ',')).isEqualTo(segments);

        String vtt = jfk().multiPart("response_format", "vtt")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).header("Content-Type", "text/plain; charset=utf-8")
                .extract().asString();
        assertThat(OpenAiTestData.cues(vtt, '.')).isEqualTo(segments);
    }

    @Test
    void verboseJsonDescribesTheAudioAndItsSegments() {
        JsonObject verbose = new JsonObject(jfk().multiPart("model", "whisper-1")
                .multiPart("response_format", "verbose_json")
                .multiPart("temperature", "0.2").multiPart("prompt", "Kennedy, Americans")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .header("Content-Type", "application/json")
                .body("task", equalTo("transcribe"))
                .body("language", equalTo("english"))
                .body("duration", equalTo(11.0f))
                .body("$", not(hasKey("words")))
                .body("usage.seconds", equalTo(11))
                .extract().asString());

        List<JsonObject> segments = verbose.getJsonArray("segments").stream().map(JsonObject.class::cast).toList();
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
        assertThat(verbose.getString("text")).isNotBlank().isEqualTo(
                String.join("", segments.stream().map(s -> s.getString("text")).toList()).strip());
        double previousEnd = 0;
        for (int i = 0; i < segments.size(); i++) {
            JsonObject segment = segments.get(i);
            assertThat(segment.getInteger("id")).isEqualTo(i);
            assertThat(segment.getDouble("start")).as(segment.encode()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(segment.getDouble("end")).as(segment.encode()).isGreaterThan(segment.getDouble("start"))
                    .isLessThanOrEqualTo(11.0);
            assertThat(segment.getLong("seek")).isEqualTo(OpenAiTestData.millis(segment.getDouble("start")) / 10);
            assertThat(segment.getJsonArray("tokens")).as(segment.encode()).isNotEmpty();
            assertThat(segment.getDouble("temperature")).isEqualTo(0.2);
            assertThat(segment.getDouble("avg_logprob")).as(segment.encode()).isNotPositive();
            assertThat(segment.getDouble("compression_ratio")).isPositive();
            previousEnd = segment.getDouble("end");
        }
    }

    @Test
    void wordGranularityAddsWordsWithinTheSegments() {
        JsonObject verbose = new JsonObject(jfk().multiPart("response_format", "verbose_json")
                .multiPart("timestamp_granularities[]", "word")
                .multiPart("timestamp_granularities[]", "segment")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .body("language", equalTo("english"))
                .extract().asString());

        List<Timed> segments = segments(verbose);
        List<Timed> words = verbose.getJsonArray("words").stream().map(JsonObject.class::cast)
                .map(w -> new Timed(OpenAiTestData.millis(w.getDouble("start")),
                        OpenAiTestData.millis(w.getDouble("end")), w.getString("word")))
                .toList();
        assertThat(words).hasSizeGreaterThanOrEqualTo(30);
        assertThat(String.join("", words.stream().map(Timed::text).toList()))
                .isEqualTo(verbose.getString("text").replaceAll("\\s", ""));
        long previousStart = 0;
        for (Timed word : words) {
            assertThat(word.startMillis()).as(word.toString()).isGreaterThanOrEqualTo(previousStart);
            assertThat(segments).as(word + " lies within a segment").anyMatch(s -> s.startMillis() <= word.startMillis()
                    && word.startMillis() <= word.endMillis() && word.endMillis() <= s.endMillis());
            previousStart = word.startMillis();
        }

        jfk().multiPart("response_format", "verbose_json").multiPart("timestamp_granularities[]", "word")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .body("segments.size()", equalTo(segments.size()))
                .body("words.word", equalTo(words.stream().map(Timed::text).toList()));
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
    void noSpeechThresholdMustBeANumberFrom0To1() {
        for (String threshold : new String[] { "1.5", "-0.1", "quiet" }) {
            jfk().multiPart("no_speech_threshold", threshold)
                    .when().post("/v1/audio/transcriptions")
                    .then().statusCode(400)
                    .body("error.param", equalTo("no_speech_threshold"));
        }
        jfk().multiPart("no_speech_threshold", "0.3").when().post("/v1/audio/transcriptions").then().statusCode(200);
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
                .body("error.code", equalTo("unsupported_audio"))
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
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("field_too_large"))
                .body("error.message", containsString("2048 bytes"));
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
        String text = jfk().multiPart("model", "multilingual")
                .when().post("/v1/audio/translations")
                .then().statusCode(200)
                .header("Content-Type", "application/json")
                .extract().path("text");
        assertThat(text).isNotBlank();
        JsonObject verbose = new JsonObject(jfk().multiPart("model", "multilingual")
                .multiPart("response_format", "verbose_json")
                .when().post("/v1/audio/translations")
                .then().statusCode(200)
                .body("task", equalTo("translate"))
                .body("duration", equalTo(11.0f))
                .body("text", equalTo(text))
                .extract().asString());
        String vtt = jfk().multiPart("model", "multilingual").multiPart("response_format", "vtt")
                .when().post("/v1/audio/translations")
                .then().statusCode(200).header("Content-Type", "text/plain; charset=utf-8")
                .extract().asString();
        assertThat(OpenAiTestData.cues(vtt, '.')).isNotEmpty().isEqualTo(segments(verbose));
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
        assertThat(Await.until(OpenAiApiTest::uploadsLeft, 0, Duration.ofSeconds(10)))
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
