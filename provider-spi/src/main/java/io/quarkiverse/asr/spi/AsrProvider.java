package io.quarkiverse.asr.spi;

import java.util.Optional;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A speech-to-text engine.
 * <p>
 * Implementations are thread-safe: one instance serves concurrent requests. Failures are reported as
 * {@link AsrException} subtypes through the returned {@code Uni}/{@code Multi}, never thrown from these methods.
 * Cancelling the subscription stops the work in progress as soon as the provider can.
 */
public interface AsrProvider {

    /** What this provider is, which model it serves and what it can do. */
    ProviderInfo info();

    /**
     * Whether a request sent now would be refused for want of room, told without admitting one: the
     * {@link OverloadedException} a transcription would fail with, or empty when it would be admitted or the provider
     * cannot tell. HTTP edges ask before reading an upload, so that a request that would be refused is refused before
     * its body is sent. The answer may be out of date at once: the transcription itself still decides.
     */
    default Optional<OverloadedException> overloaded() {
        return Optional.empty();
    }

    /** Transcribes a complete recording. */
    Uni<Transcript> transcribe(AudioInput audio, TranscriptionOptions options);

    /** Transcribes a complete recording with the provider's default options. */
    default Uni<Transcript> transcribe(AudioInput audio) {
        return transcribe(audio, TranscriptionOptions.defaults());
    }

    /**
     * Transcribes a complete recording, emitting segments as they are decoded. Providers that decode in one piece
     * emit all segments at the end; the default does exactly that.
     */
    default Multi<Segment> transcribeSegments(AudioInput audio, TranscriptionOptions options) {
        return transcribe(audio, options).onItem().transformToMulti(t -> Multi.createFrom().iterable(t.segments()));
    }

    /**
     * Transcribes live audio. Providers without {@link Capability#STREAMING} fail the stream with
     * {@link UnsupportedFeatureException}.
     */
    Multi<TranscriptEvent> transcribe(Multi<AudioChunk> audio, StreamingOptions options);
}
