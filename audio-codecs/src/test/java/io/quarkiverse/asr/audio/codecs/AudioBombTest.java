package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.management.ThreadMXBean;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.AudioTooLargeException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.audio.AudioMemoryBudget;
import io.quarkiverse.asr.spi.audio.PcmOutput;

/**
 * Issue 12, defect 3: an 82 KB FLAC of constant subframes declaring 1.9 h (under the 2 h limit) drove the JVM to
 * 4 GB and went on decoding after its client had left. Memory is measured as the bytes this thread allocates
 * ({@link ThreadMXBean}) or bounded by a child JVM's heap; cancellation by the order of events, never by time.
 */
class AudioBombTest {

    private static final long MIB = 1 << 20;
    private static final double HOURS_1_9 = 1.9 * 3600;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void theBombIsRefusedFromItsDeclaredLengthBeforeAnyFrameIsDecoded() {
        byte[] bomb = FlacBomb.of(HOURS_1_9, true);
        assertThat(bomb.length).isBetween(70_000, 90_000);
        // 1.9 h at 16 kHz is 418 MiB of samples: more than a budget of 256 MiB can ever hold
        AudioMemoryBudget budget = new AudioMemoryBudget(256 * MIB);
        long before = allocated();
        try (PcmOutput out = new PcmOutput(16000, () -> false, budget, "bomb.flac")) {
            assertThatThrownBy(() -> new FlacDecoder().decode(bomb, out))
                    .isInstanceOf(AudioTooLargeException.class)
                    .hasMessageContaining("bomb.flac: the decoded audio needs 418 MiB")
                    .hasMessageContaining("audio memory budget of 256 MiB");
        }
        assertThat(allocated() - before).as("bytes allocated").isLessThan(4 * MIB);
        assertThat(budget.used()).isZero();
    }

    /**
     * Within a budget that admits it, the bomb is decoded at 16 kHz as it goes, and the caller's hook is asked between
     * steps: once it says the client has gone, not one more step runs, and what was allocated until then is a few
     * seconds of audio, not the hours the file declares.
     */
    @Test
    void aCancelledBombStopsAtTheNextStep() {
        byte[] bomb = FlacBomb.of(HOURS_1_9, true);
        AtomicInteger asked = new AtomicInteger();
        int cancelAt = 40;
        AudioMemoryBudget budget = new AudioMemoryBudget(1024 * MIB);
        long before = allocated();
        try (PcmOutput out = new PcmOutput(16000, () -> asked.incrementAndGet() >= cancelAt, budget, "bomb.flac")) {
            assertThatThrownBy(() -> new FlacDecoder().decode(bomb, out))
                    .isInstanceOf(CancelledException.class).hasMessage("bomb.flac: decoding was cancelled");
            // the declared length is reserved, not allocated
            long declared = Math.ceilDiv((long) (HOURS_1_9 * FlacBomb.RATE), FlacBomb.BLOCK) * FlacBomb.BLOCK;
            assertThat(budget.used()).isEqualTo(Math.round(declared * 16000.0 / FlacBomb.RATE) * Float.BYTES);
        }
        assertThat(asked).hasValue(cancelAt);
        assertThat(budget.used()).isZero();
        // 40 steps are at most 40 frames: 59 s of audio, 3.8 MB at 16 kHz; the whole would be 438 MB
        assertThat(allocated() - before).as("bytes allocated").isLessThan(64 * MIB);
    }

    /**
     * Five minutes of the bomb with no declared length, so nothing is refused up front, in a JVM of 64 MiB heap: the
     * mono samples at the file's 44.1 kHz alone would take 53 MB (and twice that while growing); decoded and resampled
     * block by block only the 16 kHz result is kept.
     */
    @Test
    void anUndeclaredBombDecodesWithinASmallHeap(@TempDir Path dir) throws Exception {
        Path bomb = dir.resolve("bomb.flac");
        Files.write(bomb, FlacBomb.of(300, false));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-D" + AudioMemoryBudget.PROPERTY + "=48m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), bomb.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        // a guard against a hang only: a busy machine may take long, and that is no failure
        boolean ended = child.waitFor(5, TimeUnit.MINUTES);
        String output = new String(child.getInputStream().readAllBytes());
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        assertThat(ended).as(output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        long samples = Math.ceilDiv(300L * FlacBomb.RATE, FlacBomb.BLOCK) * FlacBomb.BLOCK;
        assertThat(output).contains("SAMPLES " + Math.round(samples * 16000.0 / FlacBomb.RATE) + " AT 16000 Hz");
    }

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Decodes the file named by its argument through the SPI, as a provider does. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            byte[] data = Files.readAllBytes(Path.of(args[0]));
            var pcm = AudioInput.of(data, "bomb.flac").decode(16000);
            System.out.println("SAMPLES " + pcm.samples().length + " AT " + pcm.sampleRate() + " Hz");
        }
    }
}
