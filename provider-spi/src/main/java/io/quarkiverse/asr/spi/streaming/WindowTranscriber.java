package io.quarkiverse.asr.spi.streaming;

import java.util.List;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.smallrye.mutiny.Uni;

/**
 * The engine as live transcription sees it: one window of audio and a prompt in, segments with timed words out. Any
 * engine that transcribes a recording with word times can stream through {@link LiveTranscriber}.
 */
@FunctionalInterface
public interface WindowTranscriber {

    /** The sample rate of every window. */
    int SAMPLE_RATE = 16_000;

    /**
     * Transcribes one window. Cancelling the subscription stops the work as soon as the engine can. Failures are
     * {@link io.quarkiverse.asr.spi.AsrException}s on the {@code Uni}.
     *
     * @param samples mono samples at {@value #SAMPLE_RATE} Hz in -1..1; the callee must not modify them
     * @param prompt the confirmed text before the window, to condition the decoder; may be empty
     * @return the segments in order, each with its words; times relative to the start of the window
     */
    Uni<List<Segment>> transcribe(float[] samples, String prompt);

    /**
     * Streams through a provider's file transcription: each window is transcribed as
     * {@code provider.transcribe(AudioInput.ofSamples(window, 16000), options)} with the prompt as initial prompt and
     * word timestamps on. A segment with text but no words fails with {@link UnsupportedFeatureException}.
     */
    static WindowTranscriber of(AsrProvider provider, TranscriptionOptions options) {
        return (samples, prompt) -> provider.transcribe(AudioInput.ofSamples(samples, SAMPLE_RATE),
                options.toBuilder().initialPrompt(prompt).timestamps(true).wordTimestamps(true).build())
                .map(transcript -> {
                    for (Segment segment : transcript.segments()) {
                        if (segment.words().isEmpty() && !segment.text().isBlank()) {
                            throw new UnsupportedFeatureException("live transcription needs word timestamps, but "
                                    + provider.info().name() + " returned a segment without words");
                        }
                    }
                    return transcript.segments();
                });
    }
}
