package io.quarkiverse.asr.runtime.observability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The providers' metrics in the application's Micrometer registry, tagged by {@code provider} and {@code model} (see
 * {@code docs/observability.md}). Registered only when the application has {@code quarkus-micrometer}. Instances of
 * one provider with the same model share their meters, gauges included: their values add up.
 */
@Singleton
public class MicrometerInstrumentation implements AsrInstrumentation {

    static final String TRANSCRIPTIONS = "asr.transcriptions";
    static final String AUDIO = "asr.audio.transcribed";
    static final String REAL_TIME_FACTOR = "asr.real.time.factor";
    static final String ACTIVE = "asr.transcriptions.active";
    static final String QUEUED = "asr.transcriptions.queued";
    static final String WORKER_WAIT = "asr.worker.wait";
    static final String SESSIONS = "asr.live.sessions";
    static final String CONFIRMATION_LATENCY = "asr.live.confirmation.latency";
    static final String MODEL_LOAD = "asr.model.load";

    /** Real-time factors worth telling apart: from far faster than real time to slower than it. */
    private static final double[] REAL_TIME_FACTOR_BUCKETS = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5 };

    private final MeterRegistry registry;
    private final Map<Tags, Gauges> gauges = new ConcurrentHashMap<>();

    @Inject
    public MicrometerInstrumentation(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ProviderInstruments forProvider(ProviderInfo provider) {
        Tags tags = Tags.of("provider", provider.name(), "model", provider.model());
        return new Instruments(tags, gauges.computeIfAbsent(tags, this::register));
    }

    /** The gauges of one provider and model, whose values add up over its instances. */
    private record Gauges(AtomicInteger active, AtomicInteger sessions, List<IntSupplier> queues) {
    }

    private Gauges register(Tags tags) {
        Gauges values = new Gauges(new AtomicInteger(), new AtomicInteger(), new CopyOnWriteArrayList<>());
        Gauge.builder(ACTIVE, values.active(), AtomicInteger::get).tags(tags)
                .description("File transcriptions in progress, from the call to the result, queued ones included")
                .register(registry);
        Gauge.builder(SESSIONS, values.sessions(), AtomicInteger::get).tags(tags)
                .description("Live transcription sessions open").register(registry);
        Gauge.builder(QUEUED, values.queues(), queues -> queues.stream().mapToInt(IntSupplier::getAsInt).sum())
                .tags(tags).description("Decodes waiting for a worker of the provider's engine").register(registry);
        return values;
    }

    private final class Instruments implements ProviderInstruments {

        private final Tags tags;
        private final Gauges gauges;
        private final Counter audio;
        private final DistributionSummary realTimeFactor;
        private final Timer workerWait;
        private final Timer confirmationLatency;
        private final Timer modelLoad;

        Instruments(Tags tags, Gauges gauges) {
            this.tags = tags;
            this.gauges = gauges;
            this.audio = Counter.builder(AUDIO).tags(tags).baseUnit("seconds")
                    .description("Length of the audio transcribed successfully").register(registry);
            this.realTimeFactor = DistributionSummary.builder(REAL_TIME_FACTOR).tags(tags)
                    .description("Time to transcribe over the length of the audio, per successful transcription")
                    .serviceLevelObjectives(REAL_TIME_FACTOR_BUCKETS).register(registry);
            this.workerWait = Timer.builder(WORKER_WAIT).tags(tags)
                    .description("Time a decode waited for a worker of the provider's engine").register(registry);
            this.confirmationLatency = Timer.builder(CONFIRMATION_LATENCY).tags(tags)
                    .description("Time from the arrival of live audio to the confirmation of the words it ends")
                    .register(registry);
            this.modelLoad = Timer.builder(MODEL_LOAD).tags(tags).description("Time to load the model")
                    .register(registry);
        }

        @Override
        public Uni<Transcript> transcription(AudioInput input, TranscriptionOptions options, Uni<Transcript> work) {
            return Uni.createFrom().deferred(() -> {
                long start = System.nanoTime();
                gauges.active().incrementAndGet();
                return work.onTermination().invoke((transcript, failure, cancelled) -> {
                    gauges.active().decrementAndGet();
                    long elapsed = System.nanoTime() - start;
                    String outcome = cancelled ? Outcome.CANCELLED
                            : failure != null ? Outcome.of(failure) : Outcome.SUCCESS;
                    Timer.builder(TRANSCRIPTIONS).tags(tags).tag("outcome", outcome)
                            .description("File transcriptions, by how they ended").register(registry)
                            .record(elapsed, TimeUnit.NANOSECONDS);
                    if (transcript != null && transcript.duration().isPositive()) {
                        double seconds = transcript.duration().toNanos() / 1e9;
                        audio.increment(seconds);
                        realTimeFactor.record(elapsed / 1e9 / seconds);
                    }
                });
            });
        }

        @Override
        public Multi<TranscriptEvent> liveSession(Multi<AudioChunk> input,
                Function<Multi<AudioChunk>, Multi<TranscriptEvent>> session) {
            return Multi.createFrom().deferred(() -> {
                ConfirmationClock clock = new ConfirmationClock();
                gauges.sessions().incrementAndGet();
                return session.apply(input.onItem().invoke(clock::received))
                        .onItem().invoke(event -> {
                            if (event instanceof TranscriptEvent.Final confirmed) {
                                clock.confirmed(confirmed.end()).ifPresent(confirmationLatency::record);
                            }
                        })
                        .onTermination().invoke(gauges.sessions()::decrementAndGet);
            });
        }

        @Override
        public void waitedForWorker(Duration wait) {
            workerWait.record(wait);
        }

        @Override
        public void modelLoaded(Duration time) {
            modelLoad.record(time);
        }

        @Override
        public void queue(IntSupplier queued) {
            gauges.queues().add(queued);
        }
    }
}
