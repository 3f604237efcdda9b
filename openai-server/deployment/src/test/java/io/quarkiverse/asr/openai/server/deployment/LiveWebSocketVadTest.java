package io.quarkiverse.asr.openai.server.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.openai.server.deployment.LiveWebSocketTest.Live;
import io.quarkiverse.asr.whisper.runtime.WhisperEngine;
import io.quarkus.test.QuarkusUnitTest;
import io.vertx.core.json.JsonObject;

/**
 * The live transcription WebSocket with voice activity gating ({@code quarkus.asr.openai-api.live.vad}), the Java
 * Silero VAD in front of the espeak mini model: the silence after a sentence ends its utterance, so its text is final
 * before the client stops; silence alone is never decoded (the engine logs each {@code whisper_full} call at DEBUG,
 * which the tests count).
 */
class LiveWebSocketVadTest {

    static final String SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank.";
    static final String WHISPER_ENGINE = WhisperEngine.class.getName();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(OpenAiTestData.class, LiveWebSocketTest.class, Live.class))
            .overrideConfigKey("quarkus.asr.whisper.model",
                    OpenAiTestData.SHARED.resolve("models/for-tests-ggml-espeak-mini.en.bin").toString())
            .overrideConfigKey("quarkus.asr.whisper.vad.model-path",
                    OpenAiTestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin").toString())
            .overrideConfigKey("quarkus.asr.whisper.language", "en")
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.live.enabled", "true")
            .overrideConfigKey("quarkus.asr.openai-api.live.vad", "true")
            // the model was trained on windows of at most 10 s
            .overrideConfigKey("quarkus.asr.openai-api.live.max-buffer", "10S")
            .overrideConfigKey("quarkus.asr.openai-api.live.buffer-trimming", "5S")
            .overrideConfigKey("quarkus.log.category.\"" + WHISPER_ENGINE + "\".level", "DEBUG");

    /** Counts the engine's {@code whisper_full} calls while a test runs. */
    final AtomicInteger decodes = new AtomicInteger();
    final Handler decodeCounter = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().startsWith("whisper_full took")) {
                decodes.incrementAndGet();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void countDecodes() {
        Logger.getLogger(WHISPER_ENGINE).addHandler(decodeCounter);
    }

    @AfterEach
    void stopCounting() {
        Logger.getLogger(WHISPER_ENGINE).removeHandler(decodeCounter);
    }

    @Test
    void aSentenceIsFinalOnceTheSilenceAfterItEndsItsUtterance() throws Exception {
        try (Live live = Live.connect("?sample_rate=16000", null)) {
            assertThat(live.until("started").getBoolean("vad")).isTrue();
            live.sendInRealTime(LiveWebSocketTest.SYNTHETIC.resolve("s01.wav"), 16_000);
            live.sendInRealTime(new float[16_000], 16_000);

            // no stop yet: the second of silence ended the utterance, which confirms all its words
            StringBuilder confirmed = new StringBuilder();
            while (!confirmed.toString().strip().equals(SENTENCE)) {
                JsonObject event = live.next();
                assertThat(event.getString("type")).as(event.encode()).isIn("partial", "final");
                if ("final".equals(event.getString("type"))) {
                    confirmed.append(event.getString("text"));
                    assertThat(SENTENCE).as("confirmed so far").startsWith(confirmed.toString().strip());
                }
            }
            live.send(new JsonObject().put("type", "stop"));
            JsonObject end = live.until("end");
            assertThat(end.getString("text")).isEqualTo(SENTENCE);
            assertThat(live.closed.get(LiveWebSocketTest.AWAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1000);
        }
        assertThat(decodes.get()).as("whisper_full calls for the sentence").isPositive();
    }

    @Test
    void silenceAloneIsNeverDecoded() throws Exception {
        try (Live live = Live.connect("?sample_rate=48000", null)) {
            live.until("started");
            live.sendInRealTime(new float[96_000], 48_000);
            live.send(new JsonObject().put("type", "stop"));

            JsonObject event = live.next();
            assertThat(event.getString("type")).as("nothing but the end: " + event.encode()).isEqualTo("end");
            assertThat(event.getString("text")).isEmpty();
            assertThat(event.getDouble("duration")).isCloseTo(2.0, offset(0.01));
        }
        // without the gate, the live session decodes its buffer as the audio arrives, silence or not
        assertThat(decodes.get()).as("whisper_full calls for silence alone").isZero();
    }
}
