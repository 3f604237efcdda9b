package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.runtime.observability.AsrInstrumentation;
import io.quarkiverse.asr.runtime.observability.ProviderInstruments;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * VAD-gated live transcription through the remote provider, against this application's own OpenAI-compatible API
 * (whisper with the espeak mini model behind it): the unnamed remote provider has {@code vad.model-path}, and runs
 * Silero VAD in the JVM, so that only speech is sent; {@code plain} has none and refuses to gate. An observer of the remote providers'
 * file transcriptions (each window of a stream is one) sees every window sent.
 */
class RemoteLiveVadTest {

    private static final int RATE = 16_000;
    private static final Duration AWAIT = Duration.ofMinutes(2);
    /** Each utterance confirmed from the whole of it, so that the text does not depend on the machine's pace. */
    private static final StreamingOptions GATED = StreamingOptions.builder()
            .decoding(TranscriptionOptions.builder().language("en").temperature(0f).build())
            .bufferTrimming(Duration.ofSeconds(5)).maxBuffer(Duration.ofSeconds(10)).vad(true).utteranceFinals(true)
            .build();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, WindowsSent.class))
            .overrideConfigKey("quarkus.asr.provider", "whisper")
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.ESPEAK_MINI_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            // the unnamed provider: vad.* must not be taken for a provider named "vad"
            .overrideConfigKey("quarkus.asr.remote.base-url", TestData.OWN_API)
            .overrideConfigKey("quarkus.asr.remote.vad.model-path",
                    TestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin").toString())
            .overrideConfigKey("quarkus.asr.remote.\"plain\".base-url", TestData.OWN_API);

    @Inject
    @AsrProviderName("remote")
    AsrProvider gated;

    @Inject
    @AsrProviderName("plain")
    AsrProvider plain;

    @Inject
    WindowsSent sent;

    @BeforeEach
    void forget() {
        sent.windows.clear();
    }

    /**
     * Two sentences with three seconds of silence before, between and after them: both come out word for word, and
     * no window sent holds more than one sentence with its padding, so the silence was never sent.
     */
    @Test
    void onlySpeechIsSent() {
        float[] first = sentence("s01");
        float[] second = sentence("s02");
        float[] silence = new float[3 * RATE];
        List<TranscriptEvent> events = stream(gated, concat(silence, first, silence, second, silence));

        assertThat(finalText(events)).isEqualTo("The quick brown fox jumps over the lazy dog near the river bank. "
                + "Please send the quarterly report to the finance team before Friday.");
        assertThat(events.getLast()).isEqualTo(new TranscriptEvent.End(Duration.ofNanos(
                (first.length + second.length + 3L * silence.length) * 1_000_000_000L / RATE)));
        double longestSentence = Math.max(first.length, second.length) / (double) RATE;
        assertThat(sent.windows).isNotEmpty()
                .allSatisfy(seconds -> assertThat(seconds).isLessThan(longestSentence + 0.5));
    }

    /** Silence alone sends nothing. */
    @Test
    void silenceSendsNothing() {
        List<TranscriptEvent> events = stream(gated, new float[5 * RATE]);

        assertThat(events).containsExactly(new TranscriptEvent.End(Duration.ofSeconds(5)));
        assertThat(sent.windows).isEmpty();
    }

    @Test
    void withoutAVadModelGatingIsRefused() {
        assertThatThrownBy(() -> stream(plain, new float[RATE])).isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("VAD");
    }

    private static List<TranscriptEvent> stream(AsrProvider provider, float[] samples) {
        List<AudioChunk> chunks = new ArrayList<>();
        for (int offset = 0; offset < samples.length; offset += RATE / 10) {
            chunks.add(new AudioChunk(Arrays.copyOfRange(samples, offset, Math.min(offset + RATE / 10, samples.length)),
                    RATE));
        }
        return provider.transcribe(Multi.createFrom().iterable(chunks), GATED).collect().asList().await()
                .atMost(AWAIT);
    }

    private static float[] sentence(String id) {
        return AudioInput.of(TestData.SYNTHETIC.resolve(id + ".wav")).decode(RATE).samples();
    }

    private static float[] concat(float[]... parts) {
        float[] all = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int offset = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }

    private static String finalText(List<TranscriptEvent> events) {
        return events.stream().filter(TranscriptEvent.Final.class::isInstance)
                .map(e -> ((TranscriptEvent.Final) e).text()).collect(Collectors.joining()).strip();
    }

    /** The length in seconds of every recording the remote providers are given: each window of a stream is one. */
    @Singleton
    public static class WindowsSent implements AsrInstrumentation {
        final List<Double> windows = new CopyOnWriteArrayList<>();

        @Override
        public ProviderInstruments forProvider(ProviderInfo provider) {
            if (!provider.name().equals(RemoteAsrProvider.PROVIDER)) {
                return new ProviderInstruments() {
                };
            }
            return new ProviderInstruments() {
                @Override
                public Uni<Transcript> transcription(AudioInput audio, TranscriptionOptions options,
                        Uni<Transcript> work) {
                    if (audio instanceof AudioInput.Samples window) {
                        windows.add(window.samples().length / (double) window.sampleRate());
                    }
                    return work;
                }
            };
        }
    }
}
