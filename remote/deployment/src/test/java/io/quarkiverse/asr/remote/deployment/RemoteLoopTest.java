package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.tck.AsrProviderTck;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The loop: one application runs whisper on a random-weight model, serves it through the OpenAI-compatible API, and
 * has a remote provider pointed at that API. Over real HTTP, the remote provider must return what whisper returns,
 * and pass the provider conformance kit.
 */
class RemoteLoopTest extends AsrProviderTck {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.provider", "whisper")
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.randomModel().toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "2")
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
        return AudioInput.of(TestData.JFK);
    }

    @Test
    void theRemoteProviderReturnsWhatWhisperReturns() {
        assertThat(local).isInstanceOf(WhisperAsrProvider.class);
        assertThat(remote).isInstanceOf(RemoteAsrProvider.class);
        TranscriptionOptions options = TranscriptionOptions.builder().wordTimestamps(true).build();

        Transcript expected = local.transcribe(speech(), options).await().atMost(Duration.ofMinutes(1));
        Transcript actual = remote.transcribe(speech(), options).await().atMost(Duration.ofMinutes(1));

        assertThat(expected.segments()).hasSizeGreaterThan(5);
        assertThat(actual.text()).isEqualTo(expected.text());
        assertThat(actual.language()).isEqualTo(expected.language()).isEqualTo("en");
        assertThat(actual.duration()).isEqualTo(expected.duration());
        assertThat(timeline(actual.segments())).containsExactlyElementsOf(timeline(expected.segments()));
        assertThat(words(actual.segments())).containsExactlyElementsOf(words(expected.segments()))
                .hasSizeGreaterThan(expected.segments().size());
    }

    private static List<String> timeline(List<Segment> segments) {
        return segments.stream().map(s -> s.start().toMillis() + "-" + s.end().toMillis() + ":" + s.text()).toList();
    }

    /** Each word with its segment, so that a word put in the wrong segment is caught. */
    private static List<String> words(List<Segment> segments) {
        return segments.stream().flatMap(s -> s.words().stream().map((Word w) -> s.start().toMillis() + "/"
                + w.text() + "@" + w.start().toMillis() + "-" + w.end().toMillis())).toList();
    }
}
