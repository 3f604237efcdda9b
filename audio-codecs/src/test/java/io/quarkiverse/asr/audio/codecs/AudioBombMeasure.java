package io.quarkiverse.asr.audio.codecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.audio.AudioMemoryBudget;

/**
 * Not a test: the measurement behind docs/reliability.md's "Audio bombs". Decodes {@code count} copies of issue 12's
 * FLAC bomb at once, as that many requests would (to 16 kHz, each on its own thread), and prints each outcome and the
 * process's peak resident memory. Arguments: count, the bomb's rate in Hz, its declared seconds.
 */
public final class AudioBombMeasure {

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int rate = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        byte[] bomb = FlacBomb.of(rate, seconds, true);
        System.out.printf("bomb: %d bytes, %d Hz stereo, %.2f h declared; heap max %d MiB, audio budget %d MiB; "
                + "RSS before %d MiB%n", bomb.length, rate, seconds / 3600, Runtime.getRuntime().maxMemory() >> 20,
                AudioMemoryBudget.global().capacity() >> 20, kib("VmRSS") >> 10);
        ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    long t0 = System.nanoTime();
                    var pcm = AudioInput.of(bomb, "bomb-" + n + ".flac").decode(16000);
                    outcomes.add(String.format("bomb %d: %d samples at 16 kHz in %.1f s", n, pcm.samples().length,
                            (System.nanoTime() - t0) / 1e9));
                } catch (Exception e) {
                    outcomes.add("bomb " + n + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        outcomes.forEach(System.out::println);
        System.out.printf("peak RSS %d MiB%n", kib("VmHWM") >> 10);
    }

    private static long kib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException(field);
    }
}
