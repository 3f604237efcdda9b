package io.quarkiverse.asr.runtime.observability;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * A span per file transcription, child of the span current when the transcription is subscribed (the HTTP request's,
 * in an endpoint), and current itself while the provider starts its work, so that the calls a provider makes (the
 * remote provider's HTTP request) are its children and carry its context. Registered only when the application has
 * {@code quarkus-opentelemetry}; attributes in {@code docs/observability.md}.
 */
@Singleton
public class OpenTelemetryInstrumentation implements AsrInstrumentation {

    static final String SPAN = "asr.transcribe";
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("asr.provider");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("asr.model");
    static final AttributeKey<String> LANGUAGE = AttributeKey.stringKey("asr.language");
    static final AttributeKey<Double> AUDIO_DURATION = AttributeKey.doubleKey("asr.audio.duration");
    static final AttributeKey<Long> SEGMENTS = AttributeKey.longKey("asr.segments");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("asr.outcome");

    private final Tracer tracer;

    @Inject
    public OpenTelemetryInstrumentation(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.quarkiverse.asr");
    }

    @Override
    public ProviderInstruments forProvider(ProviderInfo provider) {
        return new ProviderInstruments() {
            @Override
            public Uni<Transcript> transcription(AudioInput audio, TranscriptionOptions options,
                    Uni<Transcript> work) {
                return traced(provider, options, work);
            }
        };
    }

    private Uni<Transcript> traced(ProviderInfo provider, TranscriptionOptions options, Uni<Transcript> work) {
        return Uni.createFrom().emitter(emitter -> {
            Span span = tracer.spanBuilder(SPAN).setSpanKind(SpanKind.INTERNAL)
                    .setAttribute(PROVIDER, provider.name())
                    .setAttribute(MODEL, provider.model())
                    .startSpan();
            options.language().ifPresent(language -> span.setAttribute(LANGUAGE, language));
            AtomicBoolean ended = new AtomicBoolean();
            AtomicBoolean cancelled = new AtomicBoolean();
            AtomicReference<Cancellable> upstream = new AtomicReference<>();
            emitter.onTermination(() -> {
                // after the result or failure this does nothing: only a cancellation is left to record
                if (ended.compareAndSet(false, true)) {
                    cancelled.set(true);
                    span.setAttribute(OUTCOME, Outcome.CANCELLED).end();
                    Cancellable subscription = upstream.get();
                    if (subscription != null) {
                        subscription.cancel();
                    }
                }
            });
            try (Scope scope = span.makeCurrent()) {
                upstream.set(work.subscribe().with(transcript -> {
                    if (ended.compareAndSet(false, true)) {
                        if (transcript.language() != null) {
                            span.setAttribute(LANGUAGE, transcript.language());
                        }
                        span.setAttribute(AUDIO_DURATION, transcript.duration().toNanos() / 1e9)
                                .setAttribute(SEGMENTS, (long) transcript.segments().size())
                                .setAttribute(OUTCOME, Outcome.SUCCESS).end();
                    }
                    emitter.complete(transcript);
                }, failure -> {
                    if (ended.compareAndSet(false, true)) {
                        span.setAttribute(OUTCOME, Outcome.of(failure)).recordException(failure)
                                .setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage())).end();
                    }
                    emitter.fail(failure);
                }));
            }
            if (cancelled.get()) {
                upstream.get().cancel(); // cancelled while subscribing
            }
        });
    }
}
