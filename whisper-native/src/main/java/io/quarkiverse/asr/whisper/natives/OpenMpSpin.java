package io.quarkiverse.asr.whisper.natives;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Bounds how long GNU OpenMP (libgomp) lets an idle thread spin, before ggml loads libgomp.
 * <p>
 * ggml's CPU backend runs every graph in an OpenMP parallel region and meets at an OpenMP barrier after each node, so
 * one transcription crosses thousands of barriers. A libgomp thread that waits spins up to
 * {@code GOMP_SPINCOUNT} iterations before it sleeps: 300 000 (about 3 ms) unless more libgomp threads exist than
 * CPUs, then 100. One long-lived caller with {@code threads} = cores gets the long spin. When the machine has other
 * work, the thread being waited for is often off its core, and its partner spins that whole time on the core it
 * needs: measured on 2 busy cores, three quarters of the process's samples were libgomp's spin loop and two threads
 * took 4 times the CPU and 4 to 5 times the wall time of one (so does whisper-cli; see docs/benchmarks.md).
 * whisper-server escapes by accident: it calls whisper.cpp from changing HTTP threads, each with an OpenMP team of its
 * own, so it has more libgomp threads than CPUs and gets the short spin.
 * <p>
 * libgomp reads its environment once, when it is loaded, so this sets {@value #VARIABLE} in the process environment
 * before the first whisper.cpp library loads; it leaves it alone when the user set it or {@code OMP_WAIT_POLICY}.
 */
final class OpenMpSpin {

    static final String VARIABLE = "GOMP_SPINCOUNT";
    /**
     * libgomp's own choice when it knows the CPUs are oversubscribed, and what whisper-server runs with: a waiting
     * thread gives its core back after about a microsecond. 10 000 still collapsed on 2 busy cores.
     */
    static final String SPIN_COUNT = "100";

    private static final Logger LOG = Logger.getLogger(OpenMpSpin.class);

    /** Once per process: a library refused after loading may leave libgomp mapped, which is no reason to warn. */
    private static boolean decided;

    private OpenMpSpin() {
    }

    /** Sets {@value #VARIABLE} unless the environment chose a wait policy; call before libggml loads. */
    static synchronized void bound() {
        if (decided) {
            return;
        }
        decided = true;
        if (System.getenv(VARIABLE) != null || System.getenv("OMP_WAIT_POLICY") != null) {
            LOG.debugf("OpenMP wait policy left as configured: %s=%s, OMP_WAIT_POLICY=%s", VARIABLE,
                    System.getenv(VARIABLE), System.getenv("OMP_WAIT_POLICY"));
            return;
        }
        if (libgompLoaded().orElse(false)) {
            LOG.warnf("libgomp is loaded already, before whisper.cpp: its threads may spin for milliseconds between"
                    + " ggml operations; set %s=%s or OMP_WAIT_POLICY=passive in the environment", VARIABLE, SPIN_COUNT);
            return;
        }
        Linker linker = Linker.nativeLinker();
        Optional<MethodHandle> setenv = linker.defaultLookup().find("setenv").map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT)));
        if (setenv.isEmpty()) {
            return; // no POSIX C library, and so no libgomp
        }
        try (Arena arena = Arena.ofConfined()) {
            int result = (int) setenv.get().invokeExact(arena.allocateFrom(VARIABLE), arena.allocateFrom(SPIN_COUNT), 0);
            if (result != 0) {
                LOG.warnf("setenv(%s) failed; OpenMP threads may spin for milliseconds between ggml operations", VARIABLE);
            }
        } catch (Throwable e) {
            throw new WhisperLibraryException("setenv(" + VARIABLE + ") failed", e);
        }
    }

    /** Whether the process maps libgomp; empty where {@code /proc/self/maps} cannot tell. */
    private static Optional<Boolean> libgompLoaded() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return Optional.of(lines.anyMatch(line -> line.toLowerCase(Locale.ROOT).contains("/libgomp")));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
