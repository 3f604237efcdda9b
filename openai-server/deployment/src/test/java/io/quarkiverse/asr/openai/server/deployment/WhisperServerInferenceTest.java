package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.spi.eval.TextNormalizer;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * whisper-server's request shape on {@code POST /inference}, as its clients send it (the form of its own web page and
 * README: {@code file}, {@code temperature}, {@code temperature_inc}, {@code no_speech_thold}, {@code response_format},
 * {@code language=auto}, {@code translate}), answered by whisper with the espeak mini model.
 */
class WhisperServerInferenceTest {

    private static final Path S01 = OpenAiTextTest.SYNTHETIC.resolve("s01.wav");
    private static final String SENTENCE = OpenAiTextTest.SENTENCES.get("s01");

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(OpenAiTestData.class, OpenAiTextTest.class))
            .overrideConfigKey("quarkus.asr.whisper.model", OpenAiTextTest.MINI_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true");

    @Test
    void theDefaultAnswerIsJsonWithTheText() {
        inference(Map.of("temperature", "0.0", "temperature_inc", "0.2", "no_speech_thold", "0.6"))
                .then().statusCode(200)
                .contentType("application/json")
                .body("text", equalTo(SENTENCE));
    }

    @Test
    void textIsTheSentence() {
        assertThat(inference(Map.of("response_format", "text")).then().statusCode(200).extract().asString())
                .isEqualTo(SENTENCE + "\n");
    }

    @Test
    void verboseJsonHasSegmentsWordsAndTheLanguage() {
        JsonPath json = inference(Map.of("response_format", "verbose_json", "language", "auto", "translate", "false"))
                .then().statusCode(200).extract().jsonPath();

        assertThat(json.getString("task")).isEqualTo("transcribe");
        assertThat(json.getString("language")).isEqualTo("english");
        assertThat(json.getDouble("duration")).isCloseTo(OpenAiTextTest.SECONDS.get("s01"), within(0.01));
        assertThat(json.getString("text")).isEqualTo(SENTENCE);
        assertThat(json.getList("segments")).isNotEmpty();
        List<String> words = json.getList("words.word", String.class);
        assertThat(words.stream().map(TextNormalizer::normalize).toList()).isEqualTo(TextNormalizer.words(SENTENCE));
    }

    @Test
    void anEnglishOnlyModelRefusesToTranslate() {
        inference(Map.of("translate", "true")).then().statusCode(400)
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("unsupported_feature"));
    }

    @Test
    void badFieldsAreRefusedWithTheirName() {
        inference(Map.of("translate", "perhaps")).then().statusCode(400)
                .body("error.param", equalTo("translate"));
        inference(Map.of("no_speech_thold", "2")).then().statusCode(400)
                .body("error.param", equalTo("no_speech_threshold"));
        given().multiPart("response_format", "json").when().post("/inference").then().statusCode(400)
                .body("error.param", equalTo("file"));
    }

    private static Response inference(Map<String, String> fields) {
        RequestSpecification request = given().multiPart("file", S01.toFile(), "audio/wav");
        fields.forEach(request::multiPart);
        return request.when().post("/inference");
    }
}
