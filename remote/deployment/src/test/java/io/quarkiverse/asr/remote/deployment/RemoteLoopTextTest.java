package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.tck.AsrProviderTck;
import io.quarkus.test.QuarkusUnitTest;

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
            .overrideConfigKey("quarkus.asr.remote.\"loop\".base-url", TestData.OWN_API);

    @Inject
    AsrProvider local;

    @Inject
    @AsrProviderName("loop")
    AsrProvider remote;

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
