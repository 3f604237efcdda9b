package io.quarkiverse.asr.it;

import static io.quarkiverse.asr.it.TestData.SPEECH;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkus.test.junit.QuarkusTest;

/** A span per transcription, child of the HTTP request's, read from an in-memory exporter. */
@QuarkusTest
class TracingTest {

    @Inject
    InMemorySpanExporter spans;

    @Inject
    AsrProvider asr;

    /** The trace of this test's request, which it starts itself: spans of earlier requests may still be exported. */
    private String traceId;

    @BeforeEach
    void startATrace() {
        spans.reset();
        traceId = UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void theTranscriptionSpanIsAChildOfTheRequestSpan() throws IOException {
        given().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .contentType("audio/wav").body(Files.readAllBytes(SPEECH.file()))
                .when().post("/transcribe")
                .then().statusCode(200);

        SpanData request = awaitSpan(SpanKind.SERVER, "POST /transcribe");
        SpanData transcription = awaitSpan(SpanKind.INTERNAL, "asr.transcribe");
        assertThat(transcription.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(transcription.getAttributes().get(AttributeKey.stringKey("asr.provider"))).isEqualTo("whisper");
        assertThat(transcription.getAttributes().get(AttributeKey.stringKey("asr.model"))).isEqualTo(asr.info().model());
        assertThat(transcription.getAttributes().get(AttributeKey.stringKey("asr.language"))).isEqualTo("en");
        assertThat(transcription.getAttributes().get(AttributeKey.doubleKey("asr.audio.duration")))
                .isCloseTo(SPEECH.seconds(), within(0.01));
        assertThat(transcription.getAttributes().get(AttributeKey.longKey("asr.segments"))).isPositive();
        assertThat(transcription.getAttributes().get(AttributeKey.stringKey("asr.outcome"))).isEqualTo("success");
        assertThat(transcription.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aFailedTranscriptionSpanHoldsTheErrorType() {
        given().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .contentType("audio/wav").body("not audio at all".getBytes())
                .when().post("/transcribe")
                .then().statusCode(400);

        SpanData request = awaitSpan(SpanKind.SERVER, "POST /transcribe");
        SpanData transcription = awaitSpan(SpanKind.INTERNAL, "asr.transcribe");
        assertThat(transcription.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(transcription.getAttributes().get(AttributeKey.stringKey("asr.outcome")))
                .isEqualTo("unsupported_audio");
        assertThat(transcription.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(transcription.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
    }

    /** The span of this test's trace, once exported: spans are exported in batches, after they end. */
    private SpanData awaitSpan(SpanKind kind, String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<SpanData> found = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getTraceId().equals(traceId) && span.getKind() == kind
                            && span.getName().equals(name))
                    .toList();
            if (!found.isEmpty()) {
                assertThat(found).hasSize(1);
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + kind + " span " + name + " in " + spans.getFinishedSpanItems());
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
