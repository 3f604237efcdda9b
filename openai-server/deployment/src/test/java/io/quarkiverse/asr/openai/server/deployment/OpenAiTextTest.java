package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams.TimestampGranularity;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.audio.transcriptions.TranscriptionSegment;
import com.openai.models.audio.transcriptions.TranscriptionVerbose;
import com.openai.models.audio.transcriptions.TranscriptionWord;

import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.WavEncoder;
import io.quarkiverse.asr.spi.eval.TextNormalizer;
import io.quarkiverse.asr.openai.server.deployment.OpenAiTestData.Timed;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Real text in every response format: the espeak mini model, which transcribes the synthetic sentences word for word,
 * behind the API, called by the official OpenAI Java SDK; and the shape of {@code verbose_json} when there is nothing
 * to transcribe (silence, or a model that hears nothing), which clients iterate without checking.
 */
class OpenAiTextTest {

    static final Path MINI_MODEL = OpenAiTestData.SHARED.resolve("models/for-tests-ggml-espeak-mini.en.bin");
    static final Path SYNTHETIC = OpenAiTestData.SHARED.resolve("audio/synthetic");
    /** Three sentences of the 24, with their reference text and length in seconds. */
    static final Map<String, String> SENTENCES = Map.of(
            "s01", "The quick brown fox jumps over the lazy dog near the river bank.",
            "s06", "Speech recognition turns spoken words into written text.",
            "s23", "Could you please repeat the last number of the order?");
    static final Map<String, Double> SECONDS = Map.of("s01", 4.459, "s06", 4.031, "s23", 3.124);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", MINI_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            // the test-sized model runs the whole pipeline on untrained weights: it hears nothing in any audio
            .overrideConfigKey("quarkus.asr.whisper.\"deaf\".model",
                    OpenAiTestData.SHARED.resolve("models/for-tests-ggml-tiny.en.bin").toString())
            .overrideConfigKey("quarkus.asr.whisper.\"deaf\".threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            // the test-sized model has tiny's full encoder: seconds per request on a busy machine
            .overrideConfigKey("quarkus.http.test-timeout", "2M");

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .apiKey("sk-unchecked")
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private String transcribe(String id, AudioResponseFormat format) {
        return client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(SYNTHETIC.resolve(id + ".wav"))
                .model(AudioModel.WHISPER_1)
                .responseFormat(format)
                .build()).validate().asTranscription().text();
    }

    private TranscriptionVerbose verbose(String id, TimestampGranularity... granularities) {
        TranscriptionCreateParams.Builder params = TranscriptionCreateParams.builder()
                .file(SYNTHETIC.resolve(id + ".wav"))
                .model(AudioModel.WHISPER_1)
                .responseFormat(AudioResponseFormat.VERBOSE_JSON);
        for (TimestampGranularity granularity : granularities) {
            params.addTimestampGranularity(granularity);
        }
        return client.audio().transcriptions().create(params.build()).validate().asVerbose();
    }

    @ParameterizedTest
    @ValueSource(strings = { "s01", "s06", "s23" })
    void jsonAndTextCarryTheSentence(String id) {
        assertThat(transcribe(id, AudioResponseFormat.JSON)).isEqualTo(SENTENCES.get(id));
        assertThat(transcribe(id, AudioResponseFormat.TEXT)).isEqualTo(SENTENCES.get(id) + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = { "s01", "s06", "s23" })
    void srtAndVttCuesCarryTheSentenceWhereItIsSpoken(String id) {
        List<Timed> srt = OpenAiTestData.cues(transcribe(id, AudioResponseFormat.SRT), ',');
        List<Timed> vtt = OpenAiTestData.cues(transcribe(id, AudioResponseFormat.VTT), '.');

        assertThat(vtt).isEqualTo(srt);
        assertThat(String.join(" ", srt.stream().map(Timed::text).toList())).isEqualTo(SENTENCES.get(id));
        assertThat(srt.getFirst().startMillis()).as("espeak speaks from the first frame").isLessThanOrEqualTo(100);
        assertThat(srt.getLast().endMillis()).as("the sentence takes most of the audio")
                .isBetween(2_000L, Math.round(SECONDS.get(id) * 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = { "s01", "s06", "s23" })
    void verboseJsonSegmentsAndWordsCarryTheSentenceWhereItIsSpoken(String id) {
        TranscriptionVerbose verbose = verbose(id, TimestampGranularity.WORD, TimestampGranularity.SEGMENT);

        assertThat(verbose.text()).isEqualTo(SENTENCES.get(id));
        assertThat(verbose.language()).isEqualTo("english");
        assertThat(verbose.duration()).isCloseTo(SECONDS.get(id), within(0.01));
        List<TranscriptionSegment> segments = verbose.segments().orElseThrow();
        assertThat(segments).singleElement().satisfies(segment -> {
            assertThat(segment.text().strip()).isEqualTo(SENTENCES.get(id));
            assertThat(segment.start()).isLessThanOrEqualTo(0.1f);
            assertThat(segment.end()).isBetween(2f, (float) verbose.duration());
        });
        List<TranscriptionWord> words = verbose.words().orElseThrow();
        assertThat(words.stream().map(TranscriptionWord::word).map(TextNormalizer::normalize).toList())
                .isEqualTo(TextNormalizer.words(SENTENCES.get(id)));
        float previousStart = 0;
        for (TranscriptionWord word : words) {
            assertThat(word.start()).as(word.toString()).isGreaterThanOrEqualTo(previousStart);
            assertThat(word.end()).as(word.toString()).isGreaterThanOrEqualTo(word.start())
                    .isLessThanOrEqualTo(segments.getFirst().end());
            previousStart = word.start();
        }
        assertThat(words.getLast().end()).as("the last word ends after the first has begun")
                .isGreaterThan(words.getFirst().start());
    }

    @Test
    void verboseJsonOfSilenceCarriesEmptySegments() {
        Path silence = OpenAiTestData.write(OpenAiTestData.WORK.resolve("silence-3s.wav"),
                WavEncoder.encode(new PcmAudio(new float[3 * 16_000], 16_000)));

        JsonPath plain = verboseJson(silence, "whisper-1", List.of());
        assertThat(plain.getString("text")).isEmpty();
        assertThat(plain.getList("segments")).isEmpty();
        assertThat(plain.getMap("$")).doesNotContainKey("words");

        assertEmptySegmentsAndWords(verboseJson(silence, "whisper-1", List.of("word")));
        assertEmptySegmentsAndWords(verboseJson(silence, "whisper-1", List.of("word", "segment")));

        TranscriptionCreateResponse sdk = client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(silence).model(AudioModel.WHISPER_1).responseFormat(AudioResponseFormat.VERBOSE_JSON).build())
                .validate();
        assertThat(sdk.isDiarized()).as("openai-java 4.x reads empty segments without words as diarized: %s", sdk)
                .isTrue();
        assertThat(sdk.asDiarized().text()).isEmpty();
    }

    @Test
    void verboseJsonOfAModelThatHearsNothingCarriesEmptySegments() {
        Path speech = SYNTHETIC.resolve("s01.wav");

        assertEmptySegmentsAndWords(verboseJson(speech, "deaf", List.of("word", "segment")));
    }

    private static void assertEmptySegmentsAndWords(JsonPath json) {
        assertThat(json.getString("text")).isEmpty();
        assertThat(json.getList("segments")).as("segments").isEmpty();
        assertThat(json.getList("words")).as("words").isEmpty();
    }

    private static JsonPath verboseJson(Path audio, String model, List<String> granularities) {
        var request = given().multiPart("file", audio.toFile(), "audio/wav")
                .multiPart("model", model)
                .multiPart("response_format", "verbose_json");
        for (String granularity : granularities) {
            request.multiPart("timestamp_granularities[]", granularity);
        }
        return request.when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .extract().jsonPath();
    }
}
