package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntSupplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
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
import io.quarkiverse.asr.whisper.natives.testjvm.Await;
import io.quarkus.test.QuarkusUnitTest;
import io.vertx.core.json.JsonObject;

/**
 * The remote provider and the real whisper.cpp {@code whisper-server} 1.9.3 of ../shared with the espeak mini model.
 * <ul>
 * <li>The default provider runs its own server (the supervised mode) and talks to its native {@code /inference}: it
 * passes the conformance kit with text, survives the child being killed with {@code SIGKILL} in the middle of a
 * request (that request fails as retryable, the next one waits for the restarted server and succeeds), and leaves no
 * process behind when the application stops.</li>
 * <li>{@code openai} calls a server the test starts with the OpenAI path
 * ({@code --request-path /v1 --inference-path /audio/transcriptions}).</li>
 * <li>{@code gone} points at a closed port: unavailable, and the readiness check, driven by the servers'
 * {@code /health}, is down for it.</li>
 * </ul>
 */
class WhisperServerTest extends AsrProviderTck {

    private static final String S01 = "The quick brown fox jumps over the lazy dog near the river bank.";
    /** The supervised server processes the test saw, checked for after the application has stopped. */
    private static final String PIDS = "asr.test.supervised-pids";
    private static final TranscriptionOptions ENGLISH = TranscriptionOptions.builder().language("en")
            .temperature(0f).build();

    private static WhisperServerProcess openAiServer;

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, WhisperServerProcess.class))
            .setBeforeAllCustomizer(() -> {
                openAiServer = WhisperServerProcess.start("whisper-server-openai", "/v1",
                        "--inference-path", "/audio/transcriptions");
                System.setProperty("asr.test.openai-server", openAiServer.url());
                System.setProperty("asr.test.closed-port", "http://127.0.0.1:" + WhisperServerProcess.freePort());
                System.setProperty(PIDS, "");
            })
            .setAfterAllCustomizer(() -> {
                openAiServer.close();
                for (String pid : System.getProperty(PIDS).split(",")) {
                    if (!pid.isEmpty()) {
                        WhisperServerProcess.awaitGone(Long.parseLong(pid), WhisperServerProcess.HANG);
                    }
                }
            })
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.server.binary", WhisperServerProcess.BINARY.toString())
            .overrideConfigKey("quarkus.asr.remote.server.model", TestData.ESPEAK_MINI_MODEL.toString())
            .overrideConfigKey("quarkus.asr.remote.server.threads", "1")
            .overrideConfigKey("quarkus.asr.remote.server.restart.delay", "200MS")
            .overrideConfigKey("quarkus.asr.remote.\"openai\".base-url", "${asr.test.openai-server}")
            .overrideConfigKey("quarkus.asr.remote.\"gone\".api", "whisper-server")
            .overrideConfigKey("quarkus.asr.remote.\"gone\".base-url", "${asr.test.closed-port}")
            .overrideConfigKey("quarkus.asr.remote.\"gone\".retry.max-retries", "0");

    @Inject
    RemoteAsrProvider whisperServer;

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
    void theOpenAiPathGivesWhatTheNativeOneGives() {
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
        assertThat(data.getString("baseUrl")).startsWith("http://127.0.0.1:");
        assertThat(data.getString("openai.api")).isEqualTo("openai");
        assertThat(data.getString("gone.error")).contains("cannot be reached");
        // the two servers that run are ready
        assertThat(data.containsKey("error")).isFalse();
        assertThat(data.containsKey("openai.error")).isFalse();
    }

    @Test
    void transcribesThroughTheServerItRuns() {
        long pid = serverPid();
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        assertThat(server.info().command().map(Path::of)).contains(realPath(WhisperServerProcess.BINARY));
        // under the watchdog shell, a child of this JVM
        assertThat(server.parent().flatMap(ProcessHandle::parent)).contains(ProcessHandle.current());
        assertThat(whisperServer.info().details().get("baseUrl")).startsWith("http://127.0.0.1:");

        Transcript transcript = transcribe("s01");
        assertThat(transcript.text()).isEqualTo("The quick brown fox jumps over the lazy dog near the river bank.");
        assertThat(whisperServer.checkReady().await().atMost(WhisperServerProcess.HANG)).isNull();
    }

    @Test
    void aServerKilledMidRequestFailsItRetryablyAndIsRestartedForTheNext() throws Exception {
        long killed = serverPid();
        ProcessHandle server = ProcessHandle.of(killed).orElseThrow();
        Duration cpuBefore = server.info().totalCpuDuration().orElse(Duration.ZERO);
        CompletableFuture<Transcript> inFlight = whisperServer.transcribe(
                AudioInput.of(TestData.SYNTHETIC.resolve("long-form.wav")), ENGLISH).subscribeAsCompletionStage();

        // decoding has begun when the server spends CPU time on it; two minutes of audio keep it busy for seconds
        IntSupplier decodingOrEnded = () -> inFlight.isDone()
                || server.info().totalCpuDuration().orElse(Duration.ZERO).minus(cpuBefore).toMillis() >= 200 ? 1 : 0;
        assertThat(Await.until(decodingOrEnded, 1, WhisperServerProcess.HANG)).as("the server never started decoding")
                .isTrue();
        assertThat(inFlight).as("the request ended before the server was killed").isNotDone();
        server.destroyForcibly();

        assertThat(inFlight).failsWithin(WhisperServerProcess.HANG).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ProviderUnavailableException.class,
                        e -> assertThat(e.retryable()).isTrue());

        // the next request waits for the restarted server
        assertThat(transcribe("s23").text()).isEqualTo("Could you please repeat the last number of the order?");
        assertThat(serverPid()).isNotEqualTo(killed);
        assertThat(ProcessHandle.of(killed).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private HttpResponse<String> readiness() throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static Transcript transcribe(AsrProvider provider, TranscriptionOptions options) {
        return provider.transcribe(AudioInput.of(TestData.SYNTHETIC.resolve("s01.wav")), options).await()
                .atMost(WhisperServerProcess.HANG);
    }

    private Transcript transcribe(String sentence) {
        return whisperServer.transcribe(AudioInput.of(TestData.SYNTHETIC.resolve(sentence + ".wav")), ENGLISH).await()
                .atMost(WhisperServerProcess.HANG);
    }

    /** The running server's pid, remembered for the check after the application stops. */
    private long serverPid() {
        long pid = whisperServer.serverPid().orElseThrow();
        System.setProperty(PIDS, System.getProperty(PIDS) + "," + pid);
        return pid;
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
