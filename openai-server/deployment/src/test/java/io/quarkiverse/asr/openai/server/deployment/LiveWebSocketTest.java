package io.quarkiverse.asr.openai.server.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * The live transcription WebSocket, driven by a Java client that sends synthetic sentences in 100 ms frames at the
 * pace of real time, to the espeak mini model: the final text is the sentence; a wrong key, a bad sample rate and a
 * full engine are refused with an {@code error} message and their close codes.
 */
class LiveWebSocketTest {

    static final String KEY = "sk-live-test";
    /** A hang guard, not a speed expectation. */
    static final Duration AWAIT = Duration.ofMinutes(2);
    static final Path SYNTHETIC = OpenAiTestData.SHARED.resolve("audio/synthetic");

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model",
                    OpenAiTestData.SHARED.resolve("models/for-tests-ggml-espeak-mini.en.bin").toString())
            .overrideConfigKey("quarkus.asr.whisper.language", "en")
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.whisper.max-concurrent-requests", "1")
            .overrideConfigKey("quarkus.asr.whisper.max-queued-requests", "0")
            .overrideConfigKey("quarkus.asr.openai-api.live.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.api-key", KEY)
            // the model was trained on windows of at most 10 s
            .overrideConfigKey("quarkus.asr.openai-api.live.max-buffer", "10S")
            .overrideConfigKey("quarkus.asr.openai-api.live.buffer-trimming", "5S");

    @Test
    void aSentenceSentInRealTimeGivesItsText() throws Exception {
        try (Live live = Live.connect("?sample_rate=16000", KEY)) {
            assertSentence(live, "s01", 16_000, "The quick brown fox jumps over the lazy dog near the river bank.");
        }
    }

    @Test
    void aBrowserSendsTheKeyInTheStartMessage() throws Exception {
        try (Live live = Live.connect("?sample_rate=48000", null)) {
            live.send(new JsonObject().put("type", "start").put("api_key", KEY).put("language", "en"));
            assertSentence(live, "s02", 48_000, "Please send the quarterly report to the finance team before Friday.");
        }
    }

    @Test
    void aWrongOrMissingKeyIsRefused() throws Exception {
        try (Live live = Live.connect("?sample_rate=16000", "sk-wrong")) {
            assertRefused(live, 401, "invalid_api_key", null, 4401);
        }
        try (Live live = Live.connect("", null)) {
            live.send(new JsonObject().put("type", "start").put("api_key", "sk-wrong").put("sample_rate", 16_000));
            assertRefused(live, 401, "invalid_api_key", null, 4401);
        }
        try (Live live = Live.connect("?sample_rate=16000", null)) {
            live.socket.sendBinary(ByteBuffer.allocate(3200), true).join();
            assertRefused(live, 401, null, null, 4401);
        }
    }

    @Test
    void aBadSampleRateIsRefused() throws Exception {
        for (String rate : List.of("100", "16k", "500000")) {
            try (Live live = Live.connect("?sample_rate=" + rate, KEY)) {
                assertRefused(live, 400, "invalid_value", "sample_rate", 4400);
            }
        }
        try (Live live = Live.connect("", KEY)) {
            live.socket.sendBinary(ByteBuffer.allocate(3200), true).join();
            assertRefused(live, 400, "missing_required_parameter", "sample_rate", 4400);
        }
        try (Live live = Live.connect("?sample_rate=16000", null)) {
            // the start message's fields take precedence over the query's
            live.send(new JsonObject().put("type", "start").put("api_key", KEY).put("sample_rate", 4_000));
            assertRefused(live, 400, "invalid_value", "sample_rate", 4400);
        }
    }

    @Test
    void aSessionBeyondTheEngineLimitsIsRefusedUntilTheFirstEnds() throws Exception {
        try (Live first = Live.connect("?sample_rate=16000", KEY)) {
            // admitted: it holds the engine's only place
            first.until("started");
            first.socket.sendBinary(pcm(new float[1600]), true).join();
            try (Live second = Live.connect("?sample_rate=16000", KEY)) {
                JsonObject error = assertRefused(second, 503, "overloaded", null, 4503);
                assertThat(error.getLong("retry_after")).isPositive();
            }
            first.send(new JsonObject().put("type", "stop"));
            assertThat(first.until("end").getString("text")).isEmpty();
            assertThat(first.closed.get(AWAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1000);
        }
        // the admission of the first session is free once it ended
        try (Live third = Live.connect("?sample_rate=16000", KEY)) {
            third.send(new JsonObject().put("type", "stop"));
            assertThat(third.until("end").getDouble("duration")).isZero();
        }
    }

    @Test
    void theHttpEndpointsAreServedOnlyWhenEnabledToo() {
        int none = given().multiPart("file", "tone.wav", OpenAiTestData.toneWav(0.5), "audio/wav")
                .when().post("/no/such/route").statusCode();
        given().auth().oauth2(KEY).multiPart("file", "tone.wav", OpenAiTestData.toneWav(0.5), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(none);
    }

    @Test
    void aPlainRequestIsToldToUpgrade() {
        given().when().get("/v1/audio/live")
                .then().statusCode(400)
                .body("error.code", equalTo("invalid_request"));
    }

    /** Sends a synthetic sentence at {@code rate} in real time, then {@code stop}; checks what comes back. */
    private static void assertSentence(Live live, String id, int rate, String reference) throws Exception {
        JsonObject started = live.next();
        assertThat(started.getString("type")).as(started.encode()).isEqualTo("started");
        assertThat(started.getInteger("sample_rate")).isEqualTo(rate);
        assertThat(started.getString("model")).isEqualTo("whisper");
        float[] samples = live.sendInRealTime(SYNTHETIC.resolve(id + ".wav"), rate);
        live.send(new JsonObject().put("type", "stop"));
        assertTranscript(live, reference, samples.length / (double) rate);
    }

    private static void assertTranscript(Live live, String reference, double seconds) throws Exception {
        List<JsonObject> events = new ArrayList<>();
        JsonObject event;
        do {
            event = live.next();
            events.add(event);
            assertThat(event.getString("type")).as(event.encode()).isIn("partial", "final", "end");
        } while (!"end".equals(event.getString("type")));
        StringBuilder confirmed = new StringBuilder();
        double previousEnd = 0;
        for (JsonObject e : events.subList(0, events.size() - 1)) {
            if ("final".equals(e.getString("type"))) {
                confirmed.append(e.getString("text"));
                assertThat(e.getDouble("start")).as(e.encode()).isGreaterThanOrEqualTo(previousEnd - 0.5);
                assertThat(e.getDouble("end")).as(e.encode()).isBetween(e.getDouble("start"), seconds + 0.5);
                assertThat(e.getJsonArray("words")).as(e.encode()).isNotEmpty();
                previousEnd = e.getDouble("end");
            }
        }
        assertThat(confirmed.toString().strip()).isEqualTo(reference);
        assertThat(event.getString("text")).isEqualTo(reference);
        assertThat(event.getDouble("duration")).isCloseTo(seconds, offset(0.01));
        assertThat(live.closed.get(AWAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1000);
    }

    private static JsonObject assertRefused(Live live, int status, String code, String param, int closeCode)
            throws Exception {
        JsonObject error = live.next();
        assertThat(error.getString("type")).as(error.encode()).isEqualTo("error");
        assertThat(error.getInteger("status")).as(error.encode()).isEqualTo(status);
        assertThat(error.getString("code")).as(error.encode()).isEqualTo(code);
        assertThat(error.getString("param")).as(error.encode()).isEqualTo(param);
        assertThat(error.getString("message")).isNotBlank().doesNotContain(KEY);
        assertThat(live.closed.get(AWAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(closeCode);
        return error;
    }

    /** 16-bit little-endian PCM. */
    static ByteBuffer pcm(float[] samples) {
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float sample : samples) {
            bytes.putShort((short) Math.round(Math.max(-1, Math.min(1, sample)) * 32767));
        }
        return bytes.flip();
    }

    /** A WebSocket session of the test: the messages it received and the close code. */
    static final class Live implements WebSocket.Listener, AutoCloseable {

        final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        WebSocket socket;

        static Live connect(String query, String key) {
            Live live = new Live();
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
            if (key != null) {
                builder.header("Authorization", "Bearer " + key);
            }
            URI uri = URI.create("ws://localhost:" + RestAssured.port + "/v1/audio/live" + query);
            live.socket = builder.buildAsync(uri, live).join();
            return live;
        }

        void send(JsonObject message) {
            socket.sendText(message.encode(), true).join();
        }

        /** Sends a recording resampled to {@code rate} in 100 ms frames, each when its audio would have been heard. */
        float[] sendInRealTime(Path wav, int rate) {
            assertThat(wav).exists();
            return sendInRealTime(AudioInput.of(wav).decode(rate).samples(), rate);
        }

        /** Sends {@code samples} at {@code rate} in 100 ms frames, each when its audio would have been heard. */
        float[] sendInRealTime(float[] samples, int rate) {
            int frame = rate / 10;
            long start = System.nanoTime();
            for (int at = 0, n = 0; at < samples.length; at += frame, n++) {
                float[] piece = Arrays.copyOfRange(samples, at, Math.min(samples.length, at + frame));
                LockSupport.parkNanos(start + n * 100_000_000L - System.nanoTime());
                socket.sendBinary(pcm(piece), true).join();
            }
            return samples;
        }

        JsonObject next() throws InterruptedException {
            JsonObject message = messages.poll(AWAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).as("a message within " + AWAIT).isNotNull();
            return message;
        }

        JsonObject until(String type) throws InterruptedException {
            JsonObject message;
            do {
                message = next();
                assertThat(message.getString("type")).as(message.encode()).isNotEqualTo("error");
            } while (!type.equals(message.getString("type")));
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(new JsonObject(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        @Override
        public void close() {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "test over");
            }
            socket.abort();
        }
    }
}
