package io.quarkiverse.asr.audio.codecs;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Bounds on what one decode may cost, so that hostile or unexpectedly large input is refused with an
 * {@link io.quarkiverse.asr.spi.UnsupportedAudioException} instead of exhausting memory or time.
 *
 * <p>
 * The decoders found through {@link java.util.ServiceLoader} read these bounds from system properties at
 * every decode: {@value #MAX_DURATION_PROPERTY} (default 2 hours) and {@value #TIMEOUT_PROPERTY}
 * (default 5 minutes). Values are seconds ({@code 3600}, {@code 90.5}) or ISO-8601 durations ({@code PT1H}).
 * Decoded audio is kept at the rate the caller asks for, 4 bytes per sample (two hours at 16 kHz is 460 MB), within
 * the {@link io.quarkiverse.asr.spi.audio.AudioMemoryBudget} shared by all decodes.
 *
 * @param maxDuration longest decoded audio accepted; longer input is refused once decoding reaches the limit
 * @param timeout wall-clock time one decode may take
 */
public record CodecLimits(Duration maxDuration, Duration timeout) {

    /** System property: the longest audio accepted, in seconds or as an ISO-8601 duration. */
    public static final String MAX_DURATION_PROPERTY = "asr.audio.max-duration";
    /** System property: wall-clock limit for one decode, in seconds or as an ISO-8601 duration. */
    public static final String TIMEOUT_PROPERTY = "asr.audio.decode-timeout";

    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    /** Largest array a JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    public CodecLimits {
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(timeout, "timeout");
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive, got " + maxDuration);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    public static CodecLimits defaults() {
        return new CodecLimits(DEFAULT_MAX_DURATION, DEFAULT_TIMEOUT);
    }

    /** The limits given by the system properties, the defaults where a property is absent or not a positive duration. */
    public static CodecLimits fromSystemProperties() {
        return new CodecLimits(
                property(MAX_DURATION_PROPERTY, DEFAULT_MAX_DURATION),
                property(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT));
    }

    /** Most samples (per channel) accepted at {@code sampleRate}. */
    long maxSamples(int sampleRate) {
        double samples = Math.ceil(maxDuration.toNanos() / 1e9 * sampleRate);
        return (long) Math.min(samples, MAX_ARRAY);
    }

    static Duration parse(String value) {
        String v = value.strip();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            double seconds = Double.parseDouble(v);
            if (!Double.isFinite(seconds)) {
                return null;
            }
            return Duration.ofNanos((long) Math.min(seconds * 1e9, Long.MAX_VALUE));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    private static Duration property(String name, Duration fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Duration d = parse(value);
        if (d == null || d.isNegative() || d.isZero()) {
            System.getLogger(CodecLimits.class.getName()).log(System.Logger.Level.WARNING,
                    "Ignoring system property {0}={1}: not a positive duration (seconds or ISO-8601); using {2}",
                    name, value, fallback);
            return fallback;
        }
        return d;
    }
}
