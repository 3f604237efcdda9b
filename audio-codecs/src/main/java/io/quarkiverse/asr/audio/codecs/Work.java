package io.quarkiverse.asr.audio.codecs;

import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.audio.PcmOutput;

/**
 * The state of one decode: its limits, its deadline, where its audio goes, and a tally of corrupt packets. Not
 * thread-safe: one instance per decode call.
 */
final class Work {

    final String format;
    final CodecLimits limits;
    final PcmOutput out;
    private final long start = System.nanoTime();
    private final long timeoutNanos;
    private int good;
    private int bad;
    private String firstError;

    Work(String format, CodecLimits limits, PcmOutput out) {
        this.format = format;
        this.limits = limits;
        this.out = out;
        this.timeoutNanos = limits.timeout().toNanos();
    }

    /**
     * Throws once the deadline has passed or the caller no longer wants the audio (cancelled, or the thread
     * interrupted). Cheap: call it per packet.
     */
    void check() {
        out.checkCancelled();
        if (System.nanoTime() - start > timeoutNanos) {
            throw new UnsupportedAudioException(format + " decoding took longer than the limit of "
                    + limits.timeout().toSeconds() + " s (system property " + CodecLimits.TIMEOUT_PROPERTY + ")");
        }
    }

    UnsupportedAudioException fail(String reason) {
        return new UnsupportedAudioException(format + ": " + reason);
    }

    void good() {
        good++;
    }

    /** A packet or frame that could not be decoded; the caller substitutes silence where it knows the duration. */
    void bad(String what) {
        bad++;
        if (firstError == null) {
            firstError = what;
        }
        // give up early on data that is mostly garbage instead of working through all of it
        if (bad >= 1000 && bad > 4L * good) {
            throw fail("most of the data is corrupt (" + bad + " of " + (good + bad)
                    + " packets could not be decoded so far; first: " + firstError + ")");
        }
    }

    void bad(Throwable t) {
        bad(describe(t));
    }

    /** Refuses the result when nothing decoded, or when most packets were corrupt. */
    void checkErrors() {
        if (good == 0) {
            throw fail(bad == 0 ? "no audio packets found"
                    : "no packet could be decoded (" + bad + " corrupt; first: " + firstError + ")");
        }
        if (bad >= 4 && bad > good) {
            throw fail("most of the data is corrupt (" + bad + " of " + (good + bad)
                    + " packets could not be decoded; first: " + firstError + ")");
        }
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        String name = t.getClass().getSimpleName();
        return m == null || m.isBlank() ? name : name + ": " + m;
    }
}
