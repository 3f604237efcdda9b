package io.quarkiverse.asr.runtime.observability;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The hook through which a provider reports its work to the application's metrics and traces: each provider creates one
 * when it starts ({@link #of}) and passes its transcriptions and live sessions through it, and its engine reports
 * worker waits, its queue and model loads. Without an observer (no {@code quarkus-micrometer} nor
 * {@code quarkus-opentelemetry}, or outside a Quarkus application) it observes nothing and adds nothing to the work.
 */
public final class ProviderTelemetry implements ProviderInstruments {

    /** Observes nothing. */
    public static final ProviderTelemetry NONE = new ProviderTelemetry(List.of());

    private final List<ProviderInstruments> instruments;

    private ProviderTelemetry(List<ProviderInstruments> instruments) {
        this.instruments = instruments;
    }

    /** The telemetry of a provider instance: the {@link AsrInstrumentation} beans of the running application. */
    public static ProviderTelemetry of(ProviderInfo provider) {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return NONE;
        }
        List<ProviderInstruments> instruments = container.select(AsrInstrumentation.class).stream()
                .map(instrumentation -> instrumentation.forProvider(provider))
                .toList();
        return instruments.isEmpty() ? NONE : new ProviderTelemetry(instruments);
    }

    @Override
    public Uni<Transcript> transcription(AudioInput audio, TranscriptionOptions options, Uni<Transcript> work) {
        Uni<Transcript> observed = work;
        for (ProviderInstruments instrument : instruments) {
            observed = instrument.transcription(audio, options, observed);
        }
        return observed;
    }

    @Override
    public Multi<TranscriptEvent> liveSession(Multi<AudioChunk> audio,
            Function<Multi<AudioChunk>, Multi<TranscriptEvent>> session) {
        Function<Multi<AudioChunk>, Multi<TranscriptEvent>> observed = session;
        for (ProviderInstruments instrument : instruments) {
            Function<Multi<AudioChunk>, Multi<TranscriptEvent>> inner = observed;
            observed = input -> instrument.liveSession(input, inner);
        }
        return observed.apply(audio);
    }

    @Override
    public void waitedForWorker(Duration wait) {
        instruments.forEach(instrument -> instrument.waitedForWorker(wait));
    }

    @Override
    public void modelLoaded(Duration time) {
        instruments.forEach(instrument -> instrument.modelLoaded(time));
    }

    @Override
    public void queue(IntSupplier queued) {
        instruments.forEach(instrument -> instrument.queue(queued));
    }
}
