package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.remote.deployment.ScriptedService.Answer;
import io.quarkiverse.asr.remote.deployment.ScriptedService.Received;
import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkiverse.asr.spi.Word;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The remote provider against a scripted service over real HTTP: what it sends, how it reads the answer, when it
 * retries, and which typed exception each failure becomes.
 */
class RemoteServiceTest {

    // computed again, to another port, when the application's class loader loads this class: only the first is used
    private static final String CLOSED_PORT_URL = "http://localhost:" + closedPort() + "/v1";
    private static final AudioInput JFK = AudioInput.of(TestData.JFK);
    /** The scripted service does not decode audio: a readable upload keeps failure messages readable. */
    private static final AudioInput CLIP = AudioInput.of("RIFF, or not".getBytes(StandardCharsets.US_ASCII),
            "clip.wav");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, ScriptedService.class))
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.base-url", ScriptedService.BASE_URL)
            .overrideConfigKey("quarkus.asr.remote.retry.max-retries", "2")
            .overrideConfigKey("quarkus.asr.remote.retry.delay", "300ms")
            .overrideConfigKey("quarkus.asr.remote.retry.max-delay", "5S")
            .overrideConfigKey("quarkus.asr.remote.\"keyed\".base-url", ScriptedService.BASE_URL)
            .overrideConfigKey("quarkus.asr.remote.\"keyed\".api-key", "sk-test-key")
            .overrideConfigKey("quarkus.asr.remote.\"keyed\".model", "gpt-4o-transcribe")
            .overrideConfigKey("quarkus.asr.remote.\"refused\".base-url", CLOSED_PORT_URL)
            .overrideConfigKey("quarkus.asr.remote.\"slow\".base-url", ScriptedService.BASE_URL)
            .overrideConfigKey("quarkus.asr.remote.\"slow\".read-timeout", "1S");

    @Inject
    AsrProvider remote;

    @Inject
    @AsrProviderName("keyed")
    AsrProvider keyed;

    @Inject
    @AsrProviderName("refused")
    AsrProvider refused;

    @Inject
    @AsrProviderName("slow")
    AsrProvider slow;

    @Inject
    ScriptedService service;

    @Test
    void asksForVerboseJsonAndReadsTheAnswer() {
        service.script();
        TranscriptionOptions options = TranscriptionOptions.builder().language("de").initialPrompt("Kennedy")
                .temperature(0.2f).wordTimestamps(true).build();

        Transcript transcript = remote.transcribe(CLIP, options).await().atMost(WAIT);

        Received request = service.received().get(0);
        assertThat(request.path()).isEqualTo(ScriptedService.BASE + "/audio/transcriptions");
        assertThat(request.headers().get("Authorization")).isNull();
        assertThat(request.headers().get("Content-Type")).startsWith("multipart/form-data");
        assertThat(request.body())
                .containsPattern("name=\"file\"; filename=\"clip.wav\"\r\n((?i)content-[^\r]*\r\n)*\r\nRIFF, or not\r\n")
                .containsPattern(field("model", "whisper-1"))
                .containsPattern(field("language", "de"))
                .containsPattern(field("prompt", "Kennedy"))
                .containsPattern(field("temperature", "0.2"))
                .containsPattern(field("response_format", "verbose_json"))
                .containsPattern(field("timestamp_granularities\\[\\]", "segment"))
                .containsPattern(field("timestamp_granularities\\[\\]", "word"));

        assertThat(transcript.text()).isEqualTo("Ask not. What your country can do.");
        assertThat(transcript.language()).isEqualTo("en");
        assertThat(transcript.duration()).isEqualTo(Duration.ofMillis(4250));
        List<Segment> segments = transcript.segments();
        assertThat(segments).extracting(Segment::text).containsExactly(" Ask not.", " What your country can do.");
        assertThat(segments).extracting(Segment::start).containsExactly(Duration.ZERO, Duration.ofMillis(1500));
        assertThat(segments).extracting(Segment::end).containsExactly(Duration.ofMillis(1500), Duration.ofMillis(4200));
        // "not", timed at the boundary, stays with the segment whose text holds it
        assertThat(segments.get(0).words()).extracting(Word::text).containsExactly("Ask", "not");
        assertThat(segments.get(1).words()).extracting(Word::text).containsExactly("What", "your", "country", "can",
                "do");
        assertThat(segments.get(1).words().get(2).start()).isEqualTo(Duration.ofMillis(2300));
        assertThat(segments.get(1).words().get(2).probability()).isNaN();
    }

    @Test
    void translatesThroughTheTranslationsEndpointWithTheKeyAndModelConfigured() {
        service.script();

        keyed.transcribe(CLIP, TranscriptionOptions.builder().translate(true).language("de").build())
                .await().atMost(WAIT);

        Received request = service.received().get(0);
        assertThat(request.path()).isEqualTo(ScriptedService.BASE + "/audio/translations");
        assertThat(request.headers().get("Authorization")).isEqualTo("Bearer sk-test-key");
        assertThat(request.body()).containsPattern(field("model", "gpt-4o-transcribe"))
                .doesNotContain("name=\"language\"");
    }

    @Test
    void retriesAfterTheSecondsRetryAfterGives() {
        service.script(Answer.error(429, Map.of("Retry-After", "1"), "rate_limit_exceeded", "Rate limit reached"));

        Transcript transcript = remote.transcribe(JFK).await().atMost(WAIT);

        assertThat(transcript.segments()).hasSize(2);
        assertThat(gapsMillis()).singleElement().satisfies(gap -> assertThat(gap).isBetween(950L, 4_000L));
    }

    @Test
    void retriesAtTheDateRetryAfterGives() {
        // HTTP dates have whole seconds: three seconds from now is two to three seconds away
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3));
        service.script(Answer.error(503, Map.of("Retry-After", date), "overloaded", "Busy"));

        remote.transcribe(JFK).await().atMost(WAIT);

        assertThat(gapsMillis()).singleElement().satisfies(gap -> assertThat(gap).isBetween(1_900L, 6_000L));
    }

    @Test
    void retriesWithTheConfiguredDelaysWithoutRetryAfter() {
        service.script(Answer.error(503, Map.of(), null, "Busy"), Answer.error(503, Map.of(), null, "Busy"));

        remote.transcribe(JFK).await().atMost(WAIT);

        // 300 ms, then doubled
        List<Long> gaps = gapsMillis();
        assertThat(gaps).hasSize(2);
        assertThat(gaps.get(0)).isBetween(280L, 3_000L);
        assertThat(gaps.get(1)).isBetween(580L, 3_000L);
    }

    @Test
    void failsOverloadedWithTheServiceHintWhenRetriesRunOut() {
        Answer busy = Answer.error(429, Map.of("Retry-After", "1"), "rate_limit_exceeded", "Rate limit reached");
        service.script(busy, busy, busy, busy);

        assertThatThrownBy(() -> remote.transcribe(JFK).await().atMost(WAIT))
                .isInstanceOfSatisfying(OverloadedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)))
                .hasMessageContaining("429")
                .hasMessageContaining("Rate limit reached");
        assertThat(service.received()).hasSize(3);
    }

    @Test
    void doesNotWaitLongerThanMaxDelay() {
        service.script(Answer.error(429, Map.of("Retry-After", "120"), "rate_limit_exceeded", "Come back later"));
        long start = System.nanoTime();

        assertThatThrownBy(() -> remote.transcribe(JFK).await().atMost(WAIT))
                .isInstanceOfSatisfying(OverloadedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(120)));
        // far less than the 120 s the service asked for: the retry was not waited for
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
        assertThat(service.received()).hasSize(1);
    }

    @Test
    void anExhaustedQuotaIsNotRetried() {
        service.script(Answer.error(429, Map.of(), "insufficient_quota", "You exceeded your current quota"));

        assertThatThrownBy(() -> remote.transcribe(JFK).await().atMost(WAIT))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("You exceeded your current quota");
        assertThat(service.received()).hasSize(1);
    }

    @Test
    void aRefusedApiKeyMakesTheProviderUnavailable() {
        service.script(Answer.error(401, Map.of("WWW-Authenticate", "Bearer"), "invalid_api_key",
                "Incorrect API key provided"));

        assertThatThrownBy(() -> keyed.transcribe(JFK).await().atMost(WAIT))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("Incorrect API key provided")
                .hasMessageContaining("quarkus.asr.remote.\"keyed\".api-key");
        assertThat(service.received()).hasSize(1);
    }

    @Test
    void refusalsBecomeTypedExceptionsWithTheServiceMessage() {
        record Case(Answer answer, Class<? extends Throwable> type, String message, boolean retryable) {
        }
        List<Case> cases = List.of(
                new Case(Answer.error(400, Map.of(), "invalid_value", "Audio file might be corrupted"),
                        UnsupportedAudioException.class, "Audio file might be corrupted", false),
                new Case(Answer.error(400, Map.of(), "unsupported_language", "Unsupported language: xx"),
                        UnsupportedFeatureException.class, "Unsupported language: xx", false),
                new Case(Answer.error(413, Map.of(), "request_too_large", "Maximum content size limit exceeded"),
                        UnsupportedAudioException.class, "too large", false),
                new Case(Answer.error(404, Map.of(), "model_not_found", "The model `whisper-9` does not exist"),
                        ModelException.class, "quarkus.asr.remote.model", false),
                new Case(Answer.of(500, Map.of(), "upstream exploded"),
                        ProviderUnavailableException.class, "upstream exploded", true),
                new Case(Answer.error(504, Map.of(), "timeout", "The transcription took too long"),
                        TranscriptionTimeoutException.class, "took too long", true));
        for (Case c : cases) {
            service.script(c.answer());
            Uni<Transcript> result = remote.transcribe(JFK);
            assertThatThrownBy(() -> result.await().atMost(WAIT))
                    .as("answer %d", c.answer().status())
                    .isInstanceOf(c.type())
                    .hasMessageContaining(String.valueOf(c.answer().status()))
                    .hasMessageContaining(c.message())
                    .satisfies(e -> assertThat(((AsrException) e).retryable()).as("retryable").isEqualTo(c.retryable()));
            assertThat(service.received()).hasSize(1);
        }
    }

    @Test
    void anAnswerThatIsNotATranscriptionIsATypedFailure() {
        service.script(Answer.of(200, Map.of(), "<html>Welcome to the proxy</html>"));

        assertThatThrownBy(() -> remote.transcribe(JFK).await().atMost(WAIT))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("The exchange with the transcription service");
        assertThat(service.received()).hasSize(1);
    }

    @Test
    void aServiceThatCannotBeReachedMakesTheProviderUnavailable() {
        assertThatThrownBy(() -> refused.transcribe(JFK).await().atMost(WAIT))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining(refused.info().details().get("baseUrl") + " cannot be reached")
                .hasMessageContaining("Connection refused")
                .satisfies(e -> assertThat(((AsrException) e).retryable()).as("retryable").isTrue());
    }

    @Test
    void aServiceThatDoesNotAnswerTimesOut() {
        service.script(Answer.never());
        long start = System.nanoTime();

        assertThatThrownBy(() -> slow.transcribe(JFK).await().atMost(WAIT))
                .isInstanceOf(TranscriptionTimeoutException.class)
                .hasMessageContaining("did not answer within PT1S (quarkus.asr.remote.\"slow\".read-timeout)")
                .satisfies(e -> assertThat(((AsrException) e).retryable()).as("retryable").isTrue());
        // not before the configured 1 s read timeout
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void cancellingResetsTheRequest() throws InterruptedException {
        service.script(Answer.never());

        Cancellable request = remote.transcribe(JFK).subscribe().with(t -> {
        }, f -> {
        });
        awaitRequests(1);
        request.cancel();

        assertThat(service.hungUpOn().await(10, TimeUnit.SECONDS)).as("the connection was closed").isTrue();
    }

    @Test
    void noRetryIsSentAfterACancellation() throws InterruptedException {
        service.script(Answer.error(429, Map.of("Retry-After", "1"), "rate_limit_exceeded", "Rate limit reached"));

        Cancellable request = remote.transcribe(JFK).subscribe().with(t -> {
        }, f -> {
        });
        awaitRequests(1);
        request.cancel();

        Thread.sleep(2_500);
        assertThat(service.received()).hasSize(1);
    }

    /**
     * Live audio: at every step the window goes to the service again, asking for words; the answer's words, the same
     * at every step, are confirmed once (as OpenAI's words, without punctuation).
     */
    @Test
    void liveAudioSendsTheWindowAtEveryStep() {
        service.script();

        List<TranscriptEvent> events = remote.transcribe(silence(5), StreamingOptions.defaults()).collect().asList()
                .await().atMost(WAIT);

        String text = events.stream().filter(TranscriptEvent.Final.class::isInstance)
                .map(e -> ((TranscriptEvent.Final) e).text()).reduce("", String::concat);
        assertThat(text).isEqualTo(" Ask not What your country can do");
        assertThat(events.getLast()).isEqualTo(new TranscriptEvent.End(Duration.ofSeconds(5)));
        // two answers must agree; at most one request per second of audio, and one for the rest at the end
        assertThat(service.received()).hasSizeBetween(2, 6).allSatisfy(request -> assertThat(request.body())
                .containsPattern(field("response_format", "verbose_json"))
                .containsPattern(field("timestamp_granularities\\[\\]", "word")));
    }

    @Test
    void liveAudioNeedsWordsFromTheService() {
        service.script(Answer.of(200, Map.of(), """
                {"task": "transcribe", "language": "english", "duration": 1.0, "text": "Ask not.",
                 "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 1.0, "text": " Ask not.", "tokens": [1]}]}
                """));

        assertThatThrownBy(() -> remote.transcribe(silence(2), StreamingOptions.defaults()).collect().asList()
                .await().atMost(WAIT)).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("words");
    }

    /** The service decides what it transcribes, and the provider has no VAD model: both refused, nothing sent. */
    @Test
    void vadIsRefusedWithoutARequest() {
        service.script();
        assertThatThrownBy(() -> remote.transcribe(AudioInput.ofSamples(new float[16000], 16000),
                TranscriptionOptions.builder().vad(true).build()).await().atMost(WAIT))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("voice activity detection");
        assertThatThrownBy(() -> remote.transcribe(silence(2), StreamingOptions.builder().vad(true).build()).collect()
                .asList().await().atMost(WAIT)).isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("voice activity detection");
        assertThat(service.received()).isEmpty();
    }

    /** Seconds of 16 kHz silence in one-second chunks. */
    private static Multi<AudioChunk> silence(int seconds) {
        return Multi.createFrom().range(0, seconds).map(i -> new AudioChunk(new float[16_000], 16_000));
    }

    /** A multipart field and its value. */
    private static String field(String name, String value) {
        return "name=\"" + name + "\"\r\n((?i)content-[^\r]*\r\n)*\r\n" + value + "\r\n";
    }

    private List<Long> gapsMillis() {
        List<Received> received = service.received();
        return java.util.stream.IntStream.range(1, received.size())
                .mapToObj(i -> (received.get(i).nanoTime() - received.get(i - 1).nanoTime()) / 1_000_000)
                .toList();
    }

    private void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (service.received().size() < count) {
            assertThat(System.nanoTime()).as("%d requests within %s", count, WAIT).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
