package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The loop with OpenTelemetry: the remote provider's transcription span, its HTTP request, the service's handling of
 * that request and the whisper transcription behind it make one trace, each span the child of the one before.
 */
class RemoteTracingTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, Spans.class))
            .overrideConfigKey("quarkus.asr.provider", "whisper")
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.ESPEAK_MINI_MODEL.toString())
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            .overrideConfigKey("quarkus.asr.remote.\"loop\".base-url", TestData.OWN_API)
            .overrideConfigKey("quarkus.otel.bsp.schedule.delay", "100ms");

    /** Where the spans go: OpenTelemetry exports to every {@code SpanExporter} bean. */
    static class Spans {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("asr.provider");

    @Inject
    @AsrProviderName("loop")
    AsrProvider remote;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theServiceContinuesTheTraceOfTheRemoteTranscription() {
        remote.transcribe(AudioInput.of(TestData.SYNTHETIC.resolve("s01.wav"))).await().atMost(Duration.ofMinutes(1));

        SpanData remoteTranscription = await(span -> "remote".equals(span.getAttributes().get(PROVIDER)));
        SpanData request = await(span -> span.getKind() == SpanKind.CLIENT);
        SpanData served = await(span -> span.getKind() == SpanKind.SERVER);
        SpanData whisperTranscription = await(span -> "whisper".equals(span.getAttributes().get(PROVIDER)));

        assertThat(List.of(request, served, whisperTranscription)).extracting(SpanData::getTraceId)
                .containsOnly(remoteTranscription.getTraceId());
        assertThat(request.getParentSpanId()).isEqualTo(remoteTranscription.getSpanId());
        assertThat(served.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(whisperTranscription.getParentSpanId()).isEqualTo(served.getSpanId());
    }

    /** The one span that matches, once exported: spans are exported in batches, after they end. */
    private SpanData await(Predicate<SpanData> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<SpanData> found = spans.getFinishedSpanItems().stream().filter(wanted).toList();
            if (!found.isEmpty()) {
                assertThat(found).hasSize(1);
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such span in " + spans.getFinishedSpanItems());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
