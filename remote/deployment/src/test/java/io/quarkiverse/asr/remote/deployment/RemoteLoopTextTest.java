package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkiverse.asr.spi.tck.AsrProviderTck;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;

/**
 * The loop with real text: whisper runs the espeak mini model behind the OpenAI-compatible API, and the remote provider
 * pointed at that API returns the synthetic sentences word for word, and passes the conformance kit with its text.
 */
class RemoteLoopTextTest extends AsrProviderTck {

    private static final String SENTENCE = "s23";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.provider", "whisper")
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.ESPEAK_MINI_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.remote.\"loop\".base-url", TestData.OWN_API)
            // the same API's whisper-server endpoint, /inference, called as a whisper-server client calls it
            .overrideConfigKey("quarkus.asr.remote.\"inference\".api", "whisper-server")
            .overrideConfigKey("quarkus.asr.remote.\"inference\".base-url", TestData.OWN_ROOT);

    @Inject
    AsrProvider local;

    @Inject
    @AsrProviderName("loop")
    AsrProvider remote;

    @Inject
    @AsrProviderName("inference")
    AsrProvider inference;

    @Override
    protected AsrProvider provider() {
        return remote;
    }

    @Override
    protected AudioInput speech() {
        return AudioInput.of(TestData.SYNTHETIC.resolve(SENTENCE + ".wav"));
    }

    @Override
    protected Optional<String> expectedText() {
        return Optional.of("Could you please repeat the last number of the order?");
    }

    @Override
    protected double maxWordErrorRate() {
        return 0;
    }

    /**
     * Live audio through the remote provider: each step of the online processor sends its window to the API, and the
     * confirmed text is the sentence, word for word.
     */
    @Test
    void theRemoteProviderStreamsASentence() {
        float[] samples = AudioInput.of(TestData.SYNTHETIC.resolve(SENTENCE + ".wav")).decode(16_000).samples();
        List<AudioChunk> chunks = new ArrayList<>();
        for (int offset = 0; offset < samples.length; offset += 1_600) {
            chunks.add(new AudioChunk(Arrays.copyOfRange(samples, offset, Math.min(offset + 1_600, samples.length)),
                    16_000));
        }
        StreamingOptions options = StreamingOptions.builder()
                .decoding(TranscriptionOptions.builder().language("en").temperature(0f).build())
                .bufferTrimming(Duration.ofSeconds(5)).maxBuffer(Duration.ofSeconds(10)).build();

        List<TranscriptEvent> events = remote.transcribe(Multi.createFrom().iterable(chunks), options).collect()
                .asList().await().atMost(Duration.ofMinutes(2));

        String text = events.stream().filter(TranscriptEvent.Final.class::isInstance)
                .map(e -> ((TranscriptEvent.Final) e).text()).collect(Collectors.joining()).strip();
        assertThat(WordErrorRate.of(expectedText().orElseThrow(), text).wer()).as(text).isZero();
        assertThat(events.getLast()).isInstanceOf(TranscriptEvent.End.class);
    }

    /**
     * The remote provider speaking whisper-server's API to this application's {@code /inference}: what a
     * whisper-server client gets from it is what whisper hears.
     */
    @Test
    void theInferenceEndpointAnswersAWhisperServerClient() {
        TranscriptionOptions options = TranscriptionOptions.builder().language("auto").wordTimestamps(true)
                .temperature(0f).build();
        AudioInput audio = AudioInput.of(TestData.SYNTHETIC.resolve(SENTENCE + ".wav"));

        Transcript expected = local.transcribe(audio, options).await().atMost(Duration.ofMinutes(1));
        Transcript actual = inference.transcribe(audio, options).await().atMost(Duration.ofMinutes(1));

        assertThat(actual.text()).isEqualTo(expectedText().orElseThrow()).isEqualTo(expected.text());
        assertThat(actual.language()).isEqualTo("en");
        // seconds in JSON, read back to the millisecond
        assertThat(actual.duration().minus(expected.duration()).abs()).isLessThanOrEqualTo(Duration.ofMillis(1));
        assertThat(actual.segments()).hasSameSizeAs(expected.segments());
        assertThat(actual.segments().getFirst().words()).extracting(w -> w.text())
                .isEqualTo(expected.segments().getFirst().words().stream().map(w -> w.text()).toList());
    }

    @Test
    void theRemoteProviderReturnsTheSentencesWhisperHears() throws IOException {
        List<String> table = Files.readAllLines(TestData.SYNTHETIC.resolve("transcripts.tsv"));
        TranscriptionOptions options = TranscriptionOptions.builder().wordTimestamps(true).build();
        for (String line : table.subList(0, 6)) {
            String[] sentence = line.split("\t", 2);
            AudioInput audio = AudioInput.of(TestData.SYNTHETIC.resolve(sentence[0] + ".wav"));

            Transcript expected = local.transcribe(audio, options).await().atMost(Duration.ofMinutes(1));
            Transcript actual = remote.transcribe(audio, options).await().atMost(Duration.ofMinutes(1));

            assertThat(actual.text()).as(sentence[0]).isEqualTo(sentence[1]).isEqualTo(expected.text());
            assertThat(actual.segments()).as(sentence[0]).hasSameSizeAs(expected.segments());
            assertThat(actual.segments().getFirst().words()).as(sentence[0])
                    .hasSameSizeAs(expected.segments().getFirst().words());
        }
    }
}
