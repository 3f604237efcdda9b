package io.quarkiverse.asr.whisper.deployment.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.audio.transcriptions.TranscriptionVerbose;
import com.openai.models.audio.translations.TranslationCreateParams;
import com.openai.models.audio.translations.TranslationCreateResponse;
import com.openai.models.audio.translations.TranslationVerbose;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * The official OpenAI Java SDK (com.openai:openai-java 4.8.0), pointed at the application on loopback, gets valid
 * answers in every response format, and errors as its typed exceptions.
 */
class OpenAiSdkTest {

    static final String KEY = "sk-sdk-test";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", OpenAiTestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".model", OpenAiTestData.TINY_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".language", "de")
            .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.api-key", KEY);

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = client(KEY);
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    private TranscriptionCreateResponse transcribe(AudioResponseFormat format) {
        return client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(OpenAiTestData.JFK)
                .model(AudioModel.WHISPER_1)
                .responseFormat(format)
                .build()).validate();
    }

    @Test
    void json() {
        TranscriptionCreateResponse response = transcribe(AudioResponseFormat.JSON);
        assertThat(response.isTranscription()).isTrue();
        Transcription transcription = response.asTranscription();
        assertThat(transcription.text()).isEmpty();
        assertThat(transcription.usage()).hasValueSatisfying(usage -> {
            assertThat(usage.isDuration()).isTrue();
            assertThat(usage.asDuration().seconds()).isEqualTo(11.0);
        });
    }

    @Test
    void text() {
        assertThat(transcribe(AudioResponseFormat.TEXT).asTranscription().text()).isEqualTo("\n");
    }

    @Test
    void srt() {
        assertThat(transcribe(AudioResponseFormat.SRT).asTranscription().text()).isEmpty();
    }

    @Test
    void vtt() {
        assertThat(transcribe(AudioResponseFormat.VTT).asTranscription().text()).isEqualTo("WEBVTT\n\n");
    }

    @Test
    void verboseJson() {
        TranscriptionCreateResponse response = transcribe(AudioResponseFormat.VERBOSE_JSON);
        assertThat(response.isVerbose()).as(response.toString()).isTrue();
        TranscriptionVerbose verbose = response.asVerbose();
        assertThat(verbose.language()).isEqualTo("english");
        assertThat(verbose.duration()).isEqualTo(11.0);
        assertThat(verbose.text()).isEmpty();
        assertThat(verbose.words()).isEmpty();
        assertThat(verbose._additionalProperties()).containsEntry("task", JsonValue.from("transcribe"));
    }

    @Test
    void verboseJsonWithWordsFromANamedProvider() {
        TranscriptionCreateResponse response = client.audio().transcriptions().create(TranscriptionCreateParams
                .builder()
                .file(OpenAiTestData.JFK)
                .model("multilingual")
                .responseFormat(AudioResponseFormat.VERBOSE_JSON)
                .addTimestampGranularity(TranscriptionCreateParams.TimestampGranularity.WORD)
                .addTimestampGranularity(TranscriptionCreateParams.TimestampGranularity.SEGMENT)
                .temperature(0.0)
                .prompt("Ich bin ein Berliner")
                .build()).validate();
        TranscriptionVerbose verbose = response.asVerbose();
        assertThat(verbose.language()).as("the named provider is configured for German").isEqualTo("german");
        assertThat(verbose.words()).hasValueSatisfying(words -> assertThat(words).isEmpty());
    }

    @Test
    void translation() {
        TranslationCreateResponse json = client.audio().translations().create(TranslationCreateParams.builder()
                .file(OpenAiTestData.JFK)
                .model("multilingual")
                .build()).validate();
        assertThat(json.translation()).hasValueSatisfying(t -> assertThat(t.text()).isEmpty());

        TranslationCreateResponse verbose = client.audio().translations().create(TranslationCreateParams.builder()
                .file(OpenAiTestData.JFK)
                .model("multilingual")
                .responseFormat(TranslationCreateParams.ResponseFormat.VERBOSE_JSON)
                .build()).validate();
        TranslationVerbose translation = verbose.verbose().orElseThrow();
        assertThat(translation.duration()).isEqualTo(11.0);
        assertThat(translation.language()).isEqualTo("german");
        assertThat(translation._additionalProperties()).containsEntry("task", JsonValue.from("translate"));
    }

    @Test
    void somethingThatIsNotAudioIsABadRequest() {
        Path notes = OpenAiTestData.write(OpenAiTestData.WORK.resolve("notes.txt"),
                "these are my notes, not a recording".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(notes).model(AudioModel.WHISPER_1).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.param()).contains("file");
                    assertThat(e.code()).contains("invalid_audio");
                    assertThat(e.getMessage()).contains("notes.txt");
                });
    }

    @Test
    void badParametersAreBadRequests() {
        assertThatThrownBy(() -> client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(OpenAiTestData.JFK).model(AudioModel.WHISPER_1).temperature(1.5).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.param()).contains("temperature"));
        assertThatThrownBy(() -> client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(OpenAiTestData.JFK).model(AudioModel.WHISPER_1)
                .addTimestampGranularity(TranscriptionCreateParams.TimestampGranularity.WORD).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.param()).contains("timestamp_granularities"));
    }

    @Test
    void aWrongKeyIsUnauthorized() {
        OpenAIClient wrong = client("sk-wrong");
        try {
            assertThatThrownBy(() -> wrong.audio().transcriptions().create(TranscriptionCreateParams.builder()
                    .file(OpenAiTestData.JFK).model(AudioModel.WHISPER_1).build()))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(401);
                        assertThat(e.code()).contains("invalid_api_key");
                    });
        } finally {
            wrong.close();
        }
    }
}
