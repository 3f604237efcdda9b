package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkiverse.asr.spi.tck.AsrProviderTck;
import io.quarkus.test.QuarkusUnitTest;
import io.vertx.core.json.JsonObject;

/**
 * The remote provider against the real whisper.cpp {@code whisper-server} with the espeak mini model: its native
 * {@code /inference} (the default provider, which passes the conformance kit with text), and the same binary serving
 * the OpenAI path ({@code --request-path /v1 --inference-path /audio/transcriptions}); its {@code /health} drives the
 * readiness check, which a third provider pointed at a closed port turns down.
 */
class WhisperServerTest extends AsrProviderTck {

    private static final String S01 = "The quick brown fox jumps over the lazy dog near the river bank.";

    private static WhisperServerProcess nativeServer;
    private static WhisperServerProcess openAiServer;

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, WhisperServerProcess.class))
            .setBeforeAllCustomizer(() -> {
                nativeServer = WhisperServerProcess.start("whisper-server-native", "");
                openAiServer = WhisperServerProcess.start("whisper-server-openai", "/v1",
                        "--inference-path", "/audio/transcriptions");
                System.setProperty("asr.test.native-server", nativeServer.url());
                System.setProperty("asr.test.openai-server", openAiServer.url());
                System.setProperty("asr.test.closed-port", "http://127.0.0.1:" + WhisperServerProcess.freePort());
            })
            .setAfterAllCustomizer(() -> {
                nativeServer.close();
                openAiServer.close();
            })
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.api", "whisper-server")
            .overrideConfigKey("quarkus.asr.remote.base-url", "${asr.test.native-server}")
            .overrideConfigKey("quarkus.asr.remote.\"openai\".base-url", "${asr.test.openai-server}")
            .overrideConfigKey("quarkus.asr.remote.\"gone\".api", "whisper-server")
            .overrideConfigKey("quarkus.asr.remote.\"gone\".base-url", "${asr.test.closed-port}")
            .overrideConfigKey("quarkus.asr.remote.\"gone\".retry.max-retries", "0");

    @Inject
    AsrProvider whisperServer;

    @Inject
    @AsrProviderName("openai")
    AsrProvider openAi;

    @Inject
    @AsrProviderName("gone")
    AsrProvider gone;

    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    @Override
    protected AsrProvider provider() {
        return whisperServer;
    }

    @Override
    protected AudioInput speech() {
        return AudioInput.of(TestData.SYNTHETIC.resolve("s01.wav"));
    }

    @Override
    protected Optional<String> expectedText() {
        return Optional.of(S01);
    }

    @Override
    protected double maxWordErrorRate() {
        return 0;
    }

    @Test
    void theNativeEndpointGivesWordsWithProbabilitiesAndTheLanguageDetection() {
        Transcript transcript = transcribe(whisperServer, TranscriptionOptions.builder().language("auto")
                .wordTimestamps(true).temperature(0f).build());

        assertThat(transcript.text()).isEqualTo(S01);
        assertThat(transcript.language()).isEqualTo("en");
        assertThat(transcript.duration()).isBetween(Duration.ofMillis(4_400), Duration.ofMillis(4_500));
        // the server rates every language whisper knows; an English-only model has no real opinion on them
        assertThat(transcript.languageProbabilities()).containsKeys("en", "de", "fr").hasSizeGreaterThan(90)
                .allSatisfy((code, p) -> {
                    assertThat(code).matches("[a-z]{2,3}");
                    assertThat(p).isBetween(0f, 1f);
                });
        List<Word> words = transcript.segments().stream().flatMap(s -> s.words().stream()).toList();
        assertThat(words).extracting(Word::text).containsExactly("The", "quick", "brown", "fox", "jumps", "over",
                "the", "lazy", "dog", "near", "the", "river", "bank.");
        assertThat(words).allSatisfy(word -> assertThat(word.probability()).isBetween(0.5f, 1f));
        assertThat(transcript.segments().getLast().end()).isLessThanOrEqualTo(transcript.duration());
    }

    @Test
    void beamSearchIsAFieldOfTheNativeEndpoint() {
        assertThat(whisperServer.info().supports(Capability.BEAM_SEARCH)).isTrue();
        Transcript transcript = transcribe(whisperServer, TranscriptionOptions.builder().beamSize(3).temperature(0f)
                .build());
        assertThat(transcript.text()).isEqualTo(S01);
    }

    @Test
    void theOpenAiPathOfTheSameServerGivesTheSameTranscript() {
        TranscriptionOptions options = TranscriptionOptions.builder().language("en").wordTimestamps(true)
                .temperature(0f).build();
        Transcript viaOpenAi = transcribe(openAi, options);
        Transcript viaNative = transcribe(whisperServer, options);

        assertThat(openAi.info().supports(Capability.BEAM_SEARCH)).isFalse();
        assertThat(WordErrorRate.of(S01, viaOpenAi.text()).wer()).isZero();
        assertThat(viaOpenAi.language()).isEqualTo("en");
        assertThat(viaOpenAi.segments()).extracting(Segment::start, Segment::end, Segment::text)
                .isEqualTo(viaNative.segments().stream().map(s -> tuple(s.start(),
                        s.end(), s.text())).toList());
        assertThat(viaOpenAi.segments().stream().mapToInt(s -> s.words().size()).sum()).isEqualTo(13);
    }

    @Test
    void aServerThatIsNotThereIsUnavailableAndNotReady() throws Exception {
        assertThatThrownBy(() -> transcribe(gone, TranscriptionOptions.defaults()))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("cannot be reached")
                .satisfies(e -> assertThat(((ProviderUnavailableException) e).retryable()).isTrue());

        HttpResponse<String> ready = readiness();
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonObject check = new JsonObject(ready.body()).getJsonArray("checks").stream()
                .map(JsonObject.class::cast).filter(c -> c.getString("name").equals("Remote speech-to-text"))
                .findFirst().orElseThrow();
        JsonObject data = check.getJsonObject("data");
        assertThat(check.getString("status")).isEqualTo("DOWN");
        assertThat(data.getString("api")).isEqualTo("whisper-server");
        assertThat(data.getString("openai.api")).isEqualTo("openai");
        assertThat(data.getString("gone.error")).contains("cannot be reached");
        // the two servers that run are ready
        assertThat(data.containsKey("error")).isFalse();
        assertThat(data.containsKey("openai.error")).isFalse();
    }

    private HttpResponse<String> readiness() throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static Transcript transcribe(AsrProvider provider, TranscriptionOptions options) {
        return provider.transcribe(AudioInput.of(TestData.SYNTHETIC.resolve("s01.wav")), options).await()
                .atMost(Duration.ofMinutes(1));
    }
}
