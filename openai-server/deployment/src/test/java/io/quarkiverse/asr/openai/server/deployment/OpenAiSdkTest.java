package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.audio.transcriptions.TranscriptionSegment;
import com.openai.models.audio.transcriptions.TranscriptionStreamEvent;
import com.openai.models.audio.transcriptions.TranscriptionTextDeltaEvent;
import com.openai.models.audio.transcriptions.TranscriptionVerbose;
import com.openai.models.audio.transcriptions.TranscriptionWord;
import com.openai.models.audio.translations.TranslationCreateParams;
import com.openai.models.audio.translations.TranslationCreateResponse;
import com.openai.models.audio.translations.TranslationVerbose;

import io.quarkiverse.asr.openai.server.deployment.OpenAiTestData.Timed;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * The official OpenAI Java SDK (com.openai:openai-java 4.8.0), pointed at the application on loopback, gets valid
 * answers in every response format, with the random-weight models' real decoder output in each, and errors as its
 * typed exceptions. Its streaming call ({@code stream=true}) receives one {@code transcript.text.delta} per segment,
 * then a {@code transcript.text.done} with the text the same request without streaming gets.
 */
class OpenAiSdkTest {

    static final String KEY = "sk-sdk-test";

    @RegisterExtension
    static final QuarkusUnitTest app = OpenAiTestData.appWithRandomWeightModels()
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

    /** The segments as subtitle cues show them: their times, their text stripped. */
    private static List<Timed> cues(List<TranscriptionSegment> segments) {
        return segments.stream().map(s -> new Timed(OpenAiTestData.millis(s.start()), OpenAiTestData.millis(s.end()),
                s.text().strip())).toList();
    }

    @Test
    void json() {
        String text = transcribe(AudioResponseFormat.VERBOSE_JSON).asVerbose().text();
        TranscriptionCreateResponse response = transcribe(AudioResponseFormat.JSON);
        assertThat(response.isTranscription()).isTrue();
        Transcription transcription = response.asTranscription();
        assertThat(transcription.text()).isNotBlank().isEqualTo(text);
        assertThat(transcription.usage()).hasValueSatisfying(usage -> {
            assertThat(usage.isDuration()).isTrue();
            assertThat(usage.asDuration().seconds()).isEqualTo(11.0);
        });
    }

    @Test
    void text() {
        String text = transcribe(AudioResponseFormat.VERBOSE_JSON).asVerbose().text();
        assertThat(transcribe(AudioResponseFormat.TEXT).asTranscription().text()).isEqualTo(text + "\n")
                .isNotBlank();
    }

    @Test
    void srtAndVttCuesAreTheSegments() {
        List<Timed> segments = cues(transcribe(AudioResponseFormat.VERBOSE_JSON).asVerbose().segments().orElseThrow());
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);

        assertThat(OpenAiTestData.cues(transcribe(AudioResponseFormat.SRT).asTranscription().text(), ','))
                .isEqualTo(segments);
        assertThat(OpenAiTestData.cues(transcribe(AudioResponseFormat.VTT).asTranscription().text(), '.'))
                .isEqualTo(segments);
    }

    @Test
    void verboseJson() {
        TranscriptionCreateResponse response = transcribe(AudioResponseFormat.VERBOSE_JSON);
        assertThat(response.isVerbose()).as(response.toString()).isTrue();
        TranscriptionVerbose verbose = response.asVerbose();
        assertThat(verbose.language()).isEqualTo("english");
        assertThat(verbose.duration()).isEqualTo(11.0);
        assertThat(verbose._additionalProperties()).containsEntry("task", JsonValue.from("transcribe"));
        assertThat(verbose.words()).isEmpty();

        List<TranscriptionSegment> segments = verbose.segments().orElseThrow();
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
        assertThat(verbose.text()).isNotBlank()
                .isEqualTo(String.join("", segments.stream().map(TranscriptionSegment::text).toList()).strip());
        float previousEnd = 0;
        for (TranscriptionSegment segment : segments) {
            assertThat(segment.start()).as(segment.toString()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(segment.end()).as(segment.toString()).isGreaterThan(segment.start()).isLessThanOrEqualTo(11f);
            assertThat(segment.tokens()).as(segment.toString()).isNotEmpty();
            previousEnd = segment.end();
        }
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

        List<Timed> segments = cues(verbose.segments().orElseThrow());
        List<TranscriptionWord> words = verbose.words().orElseThrow();
        assertThat(words).hasSizeGreaterThanOrEqualTo(10);
        assertThat(String.join("", words.stream().map(TranscriptionWord::word).toList()))
                .isEqualTo(verbose.text().replaceAll("\\s", ""));
        long previousStart = 0;
        for (TranscriptionWord word : words) {
            long start = OpenAiTestData.millis(word.start());
            long end = OpenAiTestData.millis(word.end());
            assertThat(start).as(word.toString()).isGreaterThanOrEqualTo(previousStart);
            assertThat(segments).as(word + " lies within a segment")
                    .anyMatch(s -> s.startMillis() <= start && start <= end && end <= s.endMillis());
            previousStart = start;
        }
    }

    @Test
    void translation() {
        TranslationCreateResponse json = client.audio().translations().create(TranslationCreateParams.builder()
                .file(OpenAiTestData.JFK)
                .model("multilingual")
                .build()).validate();
        String text = json.translation().orElseThrow().text();
        assertThat(text).isNotBlank();

        TranslationCreateResponse verbose = client.audio().translations().create(TranslationCreateParams.builder()
                .file(OpenAiTestData.JFK)
                .model("multilingual")
                .responseFormat(TranslationCreateParams.ResponseFormat.VERBOSE_JSON)
                .build()).validate();
        TranslationVerbose translation = verbose.verbose().orElseThrow();
        assertThat(translation.duration()).isEqualTo(11.0);
        assertThat(translation.language()).isEqualTo("german");
        assertThat(translation.text()).isEqualTo(text);
        assertThat(translation.segments()).hasValueSatisfying(segments -> assertThat(segments).isNotEmpty());
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
                    assertThat(e.code()).contains("unsupported_audio");
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

    // stream=true: server-sent events

    private static TranscriptionCreateParams.Builder jfk() {
        return TranscriptionCreateParams.builder().file(OpenAiTestData.JFK).model(AudioModel.WHISPER_1);
    }

    @Test
    void deltasPerSegmentThenDone() {
        List<TranscriptionSegment> segments = client.audio().transcriptions()
                .create(jfk().responseFormat(AudioResponseFormat.VERBOSE_JSON).build()).asVerbose().segments()
                .orElseThrow().stream().filter(s -> !s.text().isBlank()).toList();
        assertThat(segments).as("the random-weight model decodes jfk.wav into several segments").hasSizeGreaterThan(1);

        List<TranscriptionStreamEvent> events;
        try (StreamResponse<TranscriptionStreamEvent> stream = client.audio().transcriptions()
                .createStreaming(jfk().build())) {
            events = stream.stream().map(TranscriptionStreamEvent::validate).toList();
        }

        assertThat(events).isNotEmpty();
        assertThat(events.getLast().isTranscriptTextDone()).as("the last event").isTrue();
        List<String> deltas = events.subList(0, events.size() - 1).stream()
                .map(TranscriptionStreamEvent::asTranscriptTextDelta).map(TranscriptionTextDeltaEvent::delta)
                .toList();
        assertThat(deltas).containsExactlyElementsOf(segments.stream().map(TranscriptionSegment::text).toList());
        String text = events.getLast().asTranscriptTextDone().text();
        assertThat(text).isEqualTo(String.join("", deltas).strip())
                .isEqualTo(client.audio().transcriptions().create(jfk().build()).asTranscription().text());
    }

    @Test
    void eventsOnTheWire() {
        String body = given().auth().oauth2(KEY).multiPart("file", OpenAiTestData.JFK.toFile(), "audio/wav")
                .multiPart("stream", "true")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .header("Content-Type", startsWith("text/event-stream"))
                .header("Cache-Control", "no-cache")
                .extract().asString();
        assertThat(body).startsWith("data: {\"type\":\"transcript.text.delta\",\"delta\":").endsWith("\n\n");
        List<String> events = List.of(body.split("\n\n"));
        assertThat(events).allSatisfy(event -> assertThat(event).startsWith("data: {").doesNotContain("\n"));
        assertThat(events.getLast()).startsWith("data: {\"type\":\"transcript.text.done\",\"text\":");
    }

    @Test
    void aFailureBeforeTheFirstSegmentIsAnHttpError() {
        Path notes = OpenAiTestData.write(OpenAiTestData.WORK.resolve("notes.wav"),
                "these are my notes, not a recording".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> {
            try (StreamResponse<TranscriptionStreamEvent> stream = client.audio().transcriptions()
                    .createStreaming(TranscriptionCreateParams.builder().file(notes).model(AudioModel.WHISPER_1)
                            .build())) {
                stream.stream().toList();
            }
        }).isInstanceOf(BadRequestException.class).hasMessageContaining("notes.wav");
    }

    @Test
    void streamNeedsJsonOrTextAndABoolean() {
        given().auth().oauth2(KEY).multiPart("file", "tone.wav", OpenAiTestData.toneWav(0.5), "audio/wav")
                .multiPart("stream", "true")
                .multiPart("response_format", "srt")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("stream"))
                .body("error.code", equalTo("unsupported_value"));
        given().auth().oauth2(KEY).multiPart("file", "tone.wav", OpenAiTestData.toneWav(0.5), "audio/wav")
                .multiPart("stream", "yes")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400)
                .body("error.param", equalTo("stream"))
                .body("error.code", equalTo("invalid_value"));
    }
}
