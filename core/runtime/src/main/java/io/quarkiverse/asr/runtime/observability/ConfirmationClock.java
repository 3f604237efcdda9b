package io.quarkiverse.asr.runtime.observability;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

import io.quarkiverse.asr.spi.AudioChunk;

/**
 * The confirmation latency of a live session: from the arrival of the chunk that completes a confirmed word to the
 * confirmation. Chunks are remembered by the stream time at which they end until a confirmation passes them.
 */
final class ConfirmationClock {

    private record Arrival(long streamEndNanos, long at) {
    }

    private final ArrayDeque<Arrival> arrivals = new ArrayDeque<>();
    private long streamNanos;

    synchronized void received(AudioChunk chunk) {
        streamNanos += chunk.samples().length * 1_000_000_000L / chunk.sampleRate();
        arrivals.addLast(new Arrival(streamNanos, System.nanoTime()));
    }

    /** The time since the audio up to {@code end} (stream time) arrived; empty when it has not arrived. */
    synchronized Optional<Duration> confirmed(Duration end) {
        long endNanos = end.toNanos();
        while (!arrivals.isEmpty() && arrivals.peekFirst().streamEndNanos() < endNanos) {
            arrivals.removeFirst();
        }
        // the chunk that holds the end stays: the next confirmation may end in it too
        Arrival holder = arrivals.peekFirst();
        return holder == null ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - holder.at()));
    }
}
