package io.quarkiverse.asr.spi.audio;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import io.quarkiverse.asr.spi.AudioTooLargeException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;

/**
 * Where a decoder puts audio as it decodes it: mono blocks at the stream's rate, converted on arrival to the rate the
 * caller asked for ({@link Resampler#incremental}), so that no input is ever held whole at its own rate and channel
 * count. The converted samples are kept in one array whose memory is first reserved in an {@link AudioMemoryBudget};
 * every write, and every {@link #checkCancelled()} a decoder makes between its steps, stops the decode with
 * {@link CancelledException} once the caller no longer wants it.
 * <p>
 * A decoder calls {@link #start} once, may announce the length its container declares with {@link #expect}, then
 * {@link #write}s. {@link #close()} gives the reserved memory back. Not thread-safe: one instance per decode.
 */
public final class PcmOutput implements AutoCloseable {

    /** Samples converted between two looks at the cancellation hook, so that one large write stays stoppable. */
    private static final int STEP = 1 << 16;
    private static final int MIN_CAPACITY = 1 << 14;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final int targetRate;
    private final BooleanSupplier cancelled;
    private final AudioMemoryBudget budget;
    private final String name;
    private int rate;
    private Resampler.Incremental resampler;
    /** Output samples the container declared, or -1: the array grows to it and no further unless the audio is longer. */
    private long expected = -1;
    private float[] samples = new float[0];
    private int size;
    private long reserved;

    /**
     * @param targetRate the rate to convert to, or 0 to keep the stream's own
     * @param cancelled tells whether the caller still wants the result; the thread's interruption is checked too
     * @param budget where the samples' memory is reserved
     * @param name the input's name, for messages
     */
    public PcmOutput(int targetRate, BooleanSupplier cancelled, AudioMemoryBudget budget, String name) {
        if (targetRate < 0) {
            throw new IllegalArgumentException("targetRate must not be negative, got " + targetRate);
        }
        this.targetRate = targetRate;
        this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** An output at the stream's own rate, drawing on the {@linkplain AudioMemoryBudget#global() global budget}. */
    public static PcmOutput atStreamRate(String name) {
        return new PcmOutput(0, () -> false, AudioMemoryBudget.global(), name);
    }

    /** The stream's rate, 0 before {@link #start}. */
    public int sampleRate() {
        return rate;
    }

    /**
     * Sets the stream's rate, once, before any write.
     *
     * @throws UnsupportedAudioException when the rate cannot be converted to the target rate
     */
    public void start(int sampleRate) {
        if (rate != 0) {
            throw new IllegalStateException("already started at " + rate + " Hz");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
        int to = outputRate(sampleRate);
        try {
            resampler = to == sampleRate ? null : Resampler.incremental(sampleRate, to);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedAudioException(name + ": " + e.getMessage(), e);
        }
        rate = sampleRate;
    }

    /**
     * Announces the {@code frames} the container declares, at the stream's rate: their memory is reserved now, so that
     * audio that cannot fit is refused before it is decoded. A hint only: shorter audio keeps the array small, longer
     * audio grows past it.
     *
     * @throws AudioTooLargeException when that much audio can never fit the budget
     * @throws io.quarkiverse.asr.spi.OverloadedException when it does not fit beside the decodes in progress
     */
    public void expect(long frames) {
        requireStarted();
        long out = Resampler.outputLength(Math.max(0, frames), rate, outputRate(rate));
        reserve(out);
        expected = out;
    }

    /**
     * Adds {@code length} mono samples of {@code mono} from {@code offset} on.
     *
     * @throws CancelledException when the caller no longer wants the result
     */
    public void write(float[] mono, int offset, int length) {
        requireStarted();
        Objects.checkFromIndexSize(offset, length, mono.length);
        for (int done = 0; done < length; done += STEP) {
            checkCancelled();
            int n = Math.min(STEP, length - done);
            if (resampler == null) {
                append(mono, offset + done, n);
            } else {
                float[] converted = resampler.push(mono, offset + done, n);
                append(converted, 0, converted.length);
            }
        }
    }

    /**
     * Throws {@link CancelledException} once the caller no longer wants the result or the thread was interrupted.
     * Cheap: decoders call it between packets.
     */
    public void checkCancelled() {
        if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
            throw new CancelledException(name + ": decoding was cancelled");
        }
    }

    /**
     * Ends the audio: flushes the converter and returns the samples; the memory budget is given back.
     *
     * @throws UnsupportedAudioException when nothing was written
     */
    public PcmAudio finish() {
        if (rate == 0) {
            throw new UnsupportedAudioException(name + ": no audio decoded");
        }
        if (resampler != null) {
            float[] tail = resampler.finish();
            append(tail, 0, tail.length);
        }
        if (size == 0) {
            throw new UnsupportedAudioException(name + ": no samples");
        }
        float[] result = size == samples.length ? samples : Arrays.copyOf(samples, size);
        samples = null;
        close();
        return new PcmAudio(result, outputRate(rate));
    }

    /** Gives the reserved memory back; the samples are the caller's from {@link #finish()} on. */
    @Override
    public void close() {
        budget.release(reserved);
        reserved = 0;
    }

    private int outputRate(int streamRate) {
        return targetRate == 0 ? streamRate : targetRate;
    }

    private void requireStarted() {
        if (rate == 0) {
            throw new IllegalStateException("start() first");
        }
    }

    private void append(float[] in, int offset, int length) {
        long needed = (long) size + length;
        if (needed > samples.length) {
            long grown = Math.max(needed, Math.max(MIN_CAPACITY, samples.length + (samples.length >> 1)));
            if (expected >= needed) {
                grown = Math.min(grown, expected); // end exactly at the declared length, with no copy to trim
            }
            reserve(grown);
            samples = Arrays.copyOf(samples, (int) grown);
        }
        System.arraycopy(in, offset, samples, size, length);
        size = (int) needed;
    }

    /** Reserves the bytes of {@code count} samples in all, beyond what is reserved already. */
    private void reserve(long count) {
        if (count > MAX_ARRAY) {
            throw new AudioTooLargeException(name + ": " + count + " decoded samples exceed the largest array");
        }
        long bytes = count * Float.BYTES;
        if (bytes > reserved) {
            budget.reserve(bytes, reserved, name);
            reserved = bytes;
        }
    }
}
