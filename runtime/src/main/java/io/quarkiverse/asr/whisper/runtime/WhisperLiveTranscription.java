package io.quarkiverse.asr.whisper.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.streaming.LiveTranscriber;
import io.quarkiverse.asr.spi.streaming.WindowTranscriber;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.spi.vad.VoiceActivityDetector;
import io.quarkiverse.asr.whisper.natives.FullParams;
import io.quarkiverse.asr.whisper.natives.FullResult;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Live transcription on a {@link WhisperEngine}: the SPI's {@link LiveTranscriber} over one engine lease per
 * subscription. The lease is taken when the stream is subscribed (a full engine fails it at once with
 * {@link io.quarkiverse.asr.spi.OverloadedException}), so an admitted stream is never refused later; its one decoding
 * state serves every window, and it is closed when the stream completes, fails or is cancelled.
 */
final class WhisperLiveTranscription {

    private WhisperLiveTranscription() {
    }

    /**
     * @param decoding the decoding options with the provider's defaults applied
     * @param params the whisper.cpp parameters for a window's options, built on the worker
     * @param timeout when present, the longest one window may take to decode
     * @param vad the voice activity detector for {@link StreamingOptions#vad()}, or {@code null} when none is configured
     */
    static Multi<TranscriptEvent> transcribe(WhisperEngine engine, Multi<AudioChunk> audio, StreamingOptions options,
            TranscriptionOptions decoding, Function<TranscriptionOptions, FullParams> params,
            Optional<Duration> timeout, VoiceActivityDetector vad, VadParameters vadParameters) {
        return Multi.createFrom().deferred(() -> {
            WhisperEngine.Lease lease = engine.lease();
            WindowTranscriber windows = (samples, prompt) -> {
                TranscriptionOptions window = decoding.toBuilder().initialPrompt(prompt).timestamps(true)
                        .wordTimestamps(true).build();
                Uni<List<Segment>> decode = lease.run(decoder -> {
                    FullResult result = decoder.full(samples, params.apply(window), null);
                    Duration length = Duration.ofNanos(samples.length * 1_000_000_000L / WindowTranscriber.SAMPLE_RATE);
                    List<Segment> segments = new ArrayList<>(result.segments().size());
                    result.segments().forEach(s -> segments.add(WhisperResults.toSegment(s, true, length)));
                    return segments;
                });
                return timeout.map(limit -> decode.ifNoItem().after(limit).failWith(
                        () -> new TranscriptionTimeoutException("A live window took longer than " + limit)))
                        .orElse(decode);
            };
            // the lease's decodes go to the engine's workers: subscribing to them never blocks
            return LiveTranscriber.transcribe(audio, windows, options, Infrastructure.getDefaultExecutor(), vad,
                    vadParameters).onTermination().invoke(lease::close);
        });
    }
}
