package io.quarkiverse.asr.spi.audio;

import java.time.Duration;
import java.util.Locale;

import io.quarkiverse.asr.spi.AudioTooLargeException;
import io.quarkiverse.asr.spi.OverloadedException;

/**
 * The heap that decodes in progress may hold for decoded samples, shared by all of them, so that a few small files
 * declaring hours of audio cannot exhaust the JVM together. Each {@link PcmOutput} reserves its samples' bytes here
 * before allocating them (the whole declared length up front where the container states it) and gives them back when
 * the decode ends; a reservation that does not fit now is refused with {@link OverloadedException}, one larger than
 * the whole budget with {@link AudioTooLargeException}.
 * <p>
 * The process-wide budget is set with the system property {@value #PROPERTY}, in bytes with an optional {@code k},
 * {@code m} or {@code g} suffix ({@code 512m}); by default it is a quarter of the maximum heap. Thread-safe.
 */
public final class AudioMemoryBudget {

    /** System property: the bytes of decoded samples all decodes together may hold. */
    public static final String PROPERTY = "asr.audio.memory-budget";

    /** What a client refused for want of budget is told to wait: about the time a decode of an hour takes. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(AudioMemoryBudget.class.getName());

    private final long capacity;
    private long used;

    /** @throws IllegalArgumentException when {@code capacity} is not positive */
    public AudioMemoryBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The process-wide budget, read from {@value #PROPERTY} once. */
    public static AudioMemoryBudget global() {
        return Global.BUDGET;
    }

    /** Bytes all reservations together may hold. */
    public long capacity() {
        return capacity;
    }

    /** Bytes reserved now. */
    public synchronized long used() {
        return used;
    }

    /**
     * Raises the reservation of the decode of {@code name} from {@code held} to {@code total} bytes.
     *
     * @throws AudioTooLargeException when {@code total} exceeds the whole budget
     * @throws OverloadedException when other decodes hold too much of it now
     */
    synchronized void reserve(long total, long held, String name) {
        if (total > capacity) {
            throw new AudioTooLargeException(name + ": the decoded audio needs " + mib(total)
                    + " MiB, more than the whole audio memory budget of " + mib(capacity) + " MiB (system property "
                    + PROPERTY + ")");
        }
        if (total - held > capacity - used) {
            throw new OverloadedException(name + ": the decoded audio needs " + mib(total) + " MiB and other decodes"
                    + " hold " + mib(used - held) + " of the " + mib(capacity) + " MiB audio memory budget",
                    RETRY_AFTER);
        }
        used += total - held;
    }

    synchronized void release(long bytes) {
        used -= bytes;
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** Parses {@code 1048576}, {@code 512k}, {@code 64m} or {@code 2g}; null when it is not a positive size. */
    static Long parseSize(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1));
            return n > 0 && n <= Long.MAX_VALUE >> shift ? n << shift : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class Global {
        static final AudioMemoryBudget BUDGET = new AudioMemoryBudget(configured());

        private static long configured() {
            long fallback = Runtime.getRuntime().maxMemory() / 4;
            String value = System.getProperty(PROPERTY);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            Long size = parseSize(value);
            if (size == null) {
                LOG.log(System.Logger.Level.WARNING, "Ignoring system property {0}={1}: not a positive size in bytes"
                        + " (optionally with k, m or g); using {2} bytes", PROPERTY, value, fallback);
                return fallback;
            }
            return size;
        }
    }
}
