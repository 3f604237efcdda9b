package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import io.quarkiverse.asr.whisper.natives.testjvm.ForkedJvm;

/**
 * No native leak: hundreds of transcriptions on one provider, and providers loaded and closed over and over, each in a
 * JVM of its own with a small fixed heap, watched through resident memory and glibc's count of allocated bytes.
 * <p>
 * The child samples both after every round or cycle, when no transcription runs; the test compares the least of the
 * first five samples with the least of the last five, since the JVM's compilers hold up to 13 MB of malloc'd arena
 * chunks for seconds at a time, while a leak only grows.
 */
@EnabledOnOs(OS.LINUX)
class NativeMemoryTest {

    private static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "-Dasr.shared.dir=" + TestData.SHARED,
            // heap pages resident from the start, so that a growing heap is not taken for native memory
            "-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch",
            // a collector without native remembered sets, and the client compiler alone: less native memory of the
            // JVM's own that comes and goes
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Map<String, String> MALLOC_SETTINGS = Map.of(
            // mallinfo2 counts the main arena alone: one arena for every thread makes it count everything
            "MALLOC_ARENA_MAX", "1",
            // glibc raises its mmap threshold up to 32 MB as large blocks are freed, then keeps freed memory
            // resident for reuse: 100 MB or more after a few providers closed, growing in steps. A fixed
            // threshold gives large blocks back to the system when freed, so resident memory shows what is in use.
            "MALLOC_MMAP_THRESHOLD_", "131072");
    /** A guard against a hung child, not a speed bound: one to two minutes on a quiet machine, several under load. */
    private static final Duration LIMIT = Duration.ofMinutes(15);
    private static final int SAMPLES = 5;
    private static final long MB = 1024 * 1024;

    private static final int WARM_UP_ROUNDS = 6;
    private static final int ROUNDS = 24;

    /**
     * A copy of the 4.4 s clip's samples (280 kB) leaked by each call adds about 1.4 MB a round to both measures, 27 MB
     * between the rounds compared; a state never given back to the pool (370 MB allocated) brings the child down within
     * a round.
     */
    @Test
    void transcriptionsOverAndOverKeepMemoryFlat() throws Exception {
        ForkedJvm.Result child = ForkedJvm.run(NativeMemoryScenarios.class, JVM_OPTIONS, MALLOC_SETTINGS, LIMIT,
                "transcriptions", TestData.multilingualModel().toString(), String.valueOf(WARM_UP_ROUNDS),
                String.valueOf(ROUNDS));
        assertThat(child.exit()).as(child.toString()).isZero();
        List<Sample> rounds = List.copyOf(samples(child).values());
        assertThat(rounds).as(child.toString()).hasSize(ROUNDS);

        Sample start = least(rounds.subList(0, SAMPLES));
        Sample end = least(rounds.subList(ROUNDS - SAMPLES, ROUNDS));
        System.out.printf("%d provider calls (%d per round, %d rounds to warm up), %s ms a round%n",
                (WARM_UP_ROUNDS + ROUNDS) * NativeMemoryScenarios.CALLS_PER_ROUND,
                NativeMemoryScenarios.CALLS_PER_ROUND, WARM_UP_ROUNDS, value(child, "ROUND_MILLIS"));
        report("after warm-up", start);
        report("at the end", end);

        assertGrowthBelow(start, end, 24 * MB, 4 * MB);
    }

    /**
     * Each cycle loads the model (8 MB file, 15 MB in memory), makes two states and closes it all. A model that close()
     * left in memory adds 15 MB a cycle to both measures, its states 150 MB resident.
     */
    @Test
    void closingAProviderFreesItsModelAndStates() throws Exception {
        int cycles = 16;
        ForkedJvm.Result child = ForkedJvm.run(NativeMemoryScenarios.class, JVM_OPTIONS, MALLOC_SETTINGS, LIMIT,
                "reloads", TestData.multilingualModel().toString(), String.valueOf(cycles));
        assertThat(child.exit()).as(child.toString()).isZero();
        Map<String, Sample> samples = samples(child);
        List<Sample> closed = samples.entrySet().stream().filter(e -> e.getKey().startsWith("closed-"))
                .map(Map.Entry::getValue).toList();
        assertThat(closed).as(child.toString()).hasSize(cycles);

        Sample loaded = samples.get("first-loaded");
        Sample firstClosed = samples.get("first-closed");
        Sample start = least(closed.subList(0, SAMPLES));
        Sample end = least(closed.subList(cycles - SAMPLES, cycles));
        report("loaded", loaded);
        report("closed", firstClosed);
        report("closed, " + SAMPLES + " cycles later", start);
        report("closed, " + cycles + " cycles later", end);

        assertThat(loaded.resident() - firstClosed.resident()).as("resident bytes given back by close")
                .isGreaterThan(Files.size(TestData.multilingualModel()));
        // glibc still keeps some small freed blocks: 8 to 12 MB over the cycles, in steps. The JVM's own mallocs
        // (its compilers' arenas among them) vary by a few MB from run to run over these cycles,
        // against 15 MB a cycle for a model left in memory.
        assertGrowthBelow(start, end, 32 * MB, 12 * MB);
    }

    /** Resident memory grew less than {@code residentBytes}, and malloc's count less than {@code mallocBytes}. */
    private static void assertGrowthBelow(Sample start, Sample end, long residentBytes, long mallocBytes) {
        assertThat(end.resident() - start.resident()).as("resident memory growth, bytes").isLessThan(residentBytes);
        if (end.malloc() >= 0) {
            assertThat(end.malloc() - start.malloc()).as("malloc growth, bytes").isLessThan(mallocBytes);
        } else {
            System.out.println("No glibc mallinfo2: resident memory only");
        }
    }

    /** Memory after a round or cycle: resident bytes, and bytes allocated by malloc (-1 where unknown). */
    record Sample(long resident, long malloc) {
    }

    private static Map<String, Sample> samples(ForkedJvm.Result child) {
        Map<String, Sample> samples = new LinkedHashMap<>();
        child.stdout().lines().filter(line -> line.startsWith("MEMORY ")).map(line -> line.split(" "))
                .forEach(f -> samples.put(f[1], new Sample(Long.parseLong(f[2]), Long.parseLong(f[3]))));
        return samples;
    }

    private static Sample least(List<Sample> samples) {
        return new Sample(samples.stream().mapToLong(Sample::resident).min().orElseThrow(),
                samples.stream().mapToLong(Sample::malloc).min().orElseThrow());
    }

    private static String value(ForkedJvm.Result child, String key) {
        return child.stdout().lines().filter(line -> line.startsWith(key + " ")).map(line -> line.split(" ")[1])
                .findFirst().orElse("?");
    }

    private static void report(String point, Sample sample) {
        System.out.printf("%-24s resident %7.1f MB, malloc %7.1f MB%n", point, sample.resident() / (double) MB,
                sample.malloc() / (double) MB);
    }
}
