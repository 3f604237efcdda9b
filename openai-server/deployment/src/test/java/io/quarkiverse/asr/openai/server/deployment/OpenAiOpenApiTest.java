package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * With {@code quarkus-smallrye-openapi} in the application, {@code /q/openapi} describes the OpenAI-compatible
 * endpoints, which are Vert.x routes: under the configured root path and API paths, with their multipart forms, their
 * answers and their errors. A request to a documented path reaches the route and is answered as documented.
 */
class OpenAiOpenApiTest {

    private static final String API = "/speech/openai/v1";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            // the application's own document, which the endpoints are added to: with only Vert.x routes, SmallRye
            // OpenAPI has nothing else to build one from
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class)
                    .addAsResource(new StringAsset("openapi: 3.1.0\ninfo:\n  title: Transcriber\n  version: '2'\n"),
                            "META-INF/openapi.yaml"))
            .overrideConfigKey("quarkus.asr.whisper.model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.load-on-startup", "false")
            .overrideConfigKey("quarkus.asr.whisper.\"meetings\".model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"meetings\".load-on-startup", "false")
            .overrideConfigKey("quarkus.http.root-path", "/speech")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.path", "openai/v1/")
            .overrideConfigKey("quarkus.asr.openai-api.inference-path", "/whisper/inference")
            .overrideConfigKey("quarkus.asr.openai-api.live.enabled", "true");

    @Test
    void theDocumentHasTheServedEndpoints() {
        JsonObject document = document();
        JsonObject paths = document.getJsonObject("paths");

        assertThat(document.getJsonObject("info").getString("title")).isEqualTo("Transcriber");
        assertThat(paths.fieldNames()).contains(API + "/audio/transcriptions", API + "/audio/translations",
                "/speech/whisper/inference", API + "/audio/live");
        assertThat(paths.getJsonObject(API + "/audio/transcriptions").fieldNames()).containsExactly("post");
        assertThat(paths.getJsonObject(API + "/audio/live").fieldNames()).containsExactly("get");
        assertThat(paths.getJsonObject(API + "/audio/live").getJsonObject("get").getJsonObject("responses")
                .fieldNames()).contains("101");
    }

    @Test
    void theTranscriptionRequestIsAMultipartForm() {
        JsonObject document = document();
        JsonObject multipart = document.getJsonObject("paths").getJsonObject(API + "/audio/transcriptions")
                .getJsonObject("post").getJsonObject("requestBody").getJsonObject("content")
                .getJsonObject("multipart/form-data");
        JsonObject form = schema(document, multipart.getJsonObject("schema"));

        assertThat(form.getJsonArray("required")).containsExactly("file");
        JsonObject fields = form.getJsonObject("properties");
        assertThat(fields.fieldNames()).contains("file", "model", "language", "prompt", "response_format",
                "temperature", "timestamp_granularities[]", "stream");
        assertThat(fields.getJsonObject("file").getString("format")).isEqualTo("binary");
        assertThat(fields.getJsonObject("response_format").getJsonArray("enum"))
                .containsExactly("json", "text", "srt", "verbose_json", "vtt");
        assertThat(fields.getJsonObject("timestamp_granularities[]").getJsonObject("items").getJsonArray("enum"))
                .containsExactlyInAnyOrder("word", "segment");
        assertThat(fields.getJsonObject("temperature").getNumber("maximum").doubleValue()).isEqualTo(1.0);
        // the served providers are the values of model
        assertThat(fields.getJsonObject("model").getJsonArray("examples")).containsExactly("whisper", "meetings");
        assertThat(multipart.getJsonObject("encoding").getJsonObject("timestamp_granularities[]")
                .getBoolean("explode")).isTrue();

        JsonObject inference = schema(document, document.getJsonObject("paths").getJsonObject(
                "/speech/whisper/inference").getJsonObject("post").getJsonObject("requestBody")
                .getJsonObject("content").getJsonObject("multipart/form-data").getJsonObject("schema"));
        assertThat(inference.getJsonObject("properties").fieldNames()).contains("file", "translate",
                "no_speech_thold");
    }

    @Test
    void theAnswersAndErrorsAreDescribed() {
        JsonObject document = document();
        JsonObject responses = document.getJsonObject("paths").getJsonObject(API + "/audio/translations")
                .getJsonObject("post").getJsonObject("responses");

        assertThat(responses.fieldNames()).contains("200", "400", "401", "404", "408", "413", "500", "503", "504");
        JsonObject ok = responses.getJsonObject("200").getJsonObject("content");
        assertThat(ok.fieldNames()).contains("application/json", "text/plain", "text/event-stream");
        JsonArray formats = ok.getJsonObject("application/json").getJsonObject("schema").getJsonArray("oneOf");
        assertThat(schema(document, formats.getJsonObject(1)).getJsonObject("properties").fieldNames())
                .contains("task", "language", "duration", "text", "segments", "words");
        assertThat(responses.getJsonObject("503").getJsonObject("headers").fieldNames()).contains("Retry-After");
        JsonObject error = schema(document, responses.getJsonObject("413").getJsonObject("content")
                .getJsonObject("application/json").getJsonObject("schema"));
        assertThat(error.getJsonObject("properties").getJsonObject("error").getJsonObject("properties").fieldNames())
                .containsExactlyInAnyOrder("message", "type", "param", "code");
    }

    /** The documented path is the route's: a request that is not a form gets the documented 400 error. */
    @Test
    void aDocumentedPathAnswersAsDocumented() {
        String body = given().contentType("application/json").body("{}")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(400).extract().asString();

        JsonObject error = new JsonObject(body).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("message")).isNotBlank();
    }

    private static JsonObject document() {
        // RestAssured's base path is the root path
        return new JsonObject(given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
    }

    /** A schema, or the component its {@code $ref} names. */
    private static JsonObject schema(JsonObject document, JsonObject schema) {
        String ref = schema.getString("$ref");
        if (ref == null) {
            return schema;
        }
        return document.getJsonObject("components").getJsonObject("schemas")
                .getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
    }
}
