package io.quarkiverse.asr.whisper.deployment.openai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * The upload limit (413 whether the size is declared up front or found while streaming), and model routing when only
 * named providers exist (404 for other model names, 400 without one). No API key is configured here: requests need
 * none.
 */
class OpenAiUploadLimitTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.\"small\".model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"small\".threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.path", "/openai/v1/")
            .overrideConfigKey("quarkus.asr.openai-api.max-upload-size", "64K");

    /** 1.5 s of audio, 48 kB: within the limit. */
    static final byte[] SHORT = OpenAiTestData.toneWav(1.5);

    @Test
    void anUploadOverTheLimitIs413() {
        // jfk.wav is 344 kB
        given().multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav").multiPart("model", "small")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(413)
                .header("Content-Type", "application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("request_too_large"))
                .body("error.message", containsString("65536"));
    }

    @Test
    void aStreamedUploadOverTheLimitIs413() throws Exception {
        // no Content-Length: the limit is found while the body arrives
        String boundary = "limit-test";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsmall\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jfk.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(OpenAiTestData.JFK));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] bytes = body.toByteArray();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/openai/v1/audio/transcriptions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
                    .isEqualTo("request_too_large");
        }
    }

    @Test
    void withinTheLimitANamedProviderAnswers() {
        given().multiPart("file", "tone.wav", SHORT, "audio/wav").multiPart("model", "small")
                .multiPart("response_format", "verbose_json")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(200)
                .body("duration", equalTo(1.5f))
                .body("language", equalTo("english"));
    }

    @Test
    void withoutADefaultProviderOtherModelNamesAre404() {
        given().multiPart("file", "tone.wav", SHORT, "audio/wav").multiPart("model", "whisper-1")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(404)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("model_not_found"))
                .body("error.message", equalTo("The model `whisper-1` does not exist. Use one of: small."));
        given().multiPart("file", "tone.wav", SHORT, "audio/wav")
                .when().post("/openai/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("missing_required_parameter"));
    }

    @Test
    void theSdkSeesA404AsNotFound() throws Exception {
        Path tone = OpenAiTestData.write(OpenAiTestData.WORK.resolve("tone-1.5s.wav"), SHORT);
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port + "/openai/v1")
                .apiKey("unused")
                .maxRetries(0)
                .build();
        try {
            assertThatThrownBy(() -> client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                    .file(tone).model("whisper-1").build()))
                    .isInstanceOfSatisfying(NotFoundException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(404);
                        assertThat(e.code()).contains("model_not_found");
                        assertThat(e.param()).contains("model");
                    });
            assertThat(client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                    .file(tone).model("small").build()).asTranscription().text()).isEmpty();
        } finally {
            client.close();
        }
    }
}
