package io.quarkiverse.asr.runtime.observability;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.IntSupplier;

import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What one observer (metrics, traces) sees of one provider instance. Every method observes nothing by default, so that
 * an observer implements only what it records.
 */
public interface ProviderInstruments {

    /**
     * One file transcription.
     *
     * @param options the options the provider decodes with, its defaults applied
     * @param work the transcription, not subscribed yet
     * @return {@code work}, observed
     */
    default Uni<Transcript> transcription(AudioInput audio, TranscriptionOptions options, Uni<Transcript> work) {
        return work;
    }

    /**
     * One live session.
     *
     * @param audio the audio the client sends
     * @param session the provider's transcription of the audio it is given
     * @return the events of {@code session} applied to {@code audio}, observed
     */
    default Multi<TranscriptEvent> liveSession(Multi<AudioChunk> audio,
            Function<Multi<AudioChunk>, Multi<TranscriptEvent>> session) {
        return session.apply(audio);
    }

    /** A decode waited this long for a worker of the provider's engine. */
    default void waitedForWorker(Duration wait) {
    }

    /** The provider loaded its model in this time. */
    default void modelLoaded(Duration time) {
    }

    /** The provider has a queue of work waiting for its workers, whose length {@code queued} reads. */
    default void queue(IntSupplier queued) {
    }
}
