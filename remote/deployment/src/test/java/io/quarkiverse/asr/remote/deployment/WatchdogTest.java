package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The supervised whisper-server does not outlive its JVM, however the JVM ends: a child JVM starts the real server
 * through the provider's watchdog script as the provider does, and is killed with {@code SIGKILL}, which runs no
 * shutdown hook; the server goes with it.
 */
class WatchdogTest {

    /** A JVM that starts its arguments as a process, its output discarded, says its pid, and waits to be killed. */
    private static final String SPAWN = """
            public class Spawn {
                public static void main(String[] args) throws Exception {
                    Process child = new ProcessBuilder(args).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    System.out.println(child.pid());
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            """;

    @Test
    void theServerDiesWithTheJvmThatStartedIt() throws Exception {
        Path spawn = Files.writeString(Files.createDirectories(Path.of("target", "watchdog")).resolve("Spawn.java"),
                SPAWN);
        String script;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("io/quarkiverse/asr/remote/runtime/watchdog.sh")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int port = WhisperServerProcess.freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(List.of(java.toString(), spawn.toString(), "sh", "-c", script, "watchdog",
                WhisperServerProcess.BINARY.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port), "-m",
                TestData.ESPEAK_MINI_MODEL.toString(), "-t", "1")).redirectErrorStream(true).start();
        try {
            long wrapper = Long.parseLong(new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().strip());
            ProcessHandle server = awaitServer(wrapper);
            assertThat(server.isAlive()).isTrue();

            jvm.destroyForcibly();
            jvm.waitFor();

            WhisperServerProcess.awaitGone(server.pid(), WhisperServerProcess.HANG);
            WhisperServerProcess.awaitGone(wrapper, WhisperServerProcess.HANG);
        } finally {
            jvm.destroyForcibly();
        }
    }

    /** The whisper-server under the watchdog shell {@code wrapper}, once it runs. */
    private static ProcessHandle awaitServer(long wrapper) throws InterruptedException, IOException {
        Path binary = WhisperServerProcess.BINARY.toRealPath();
        long deadline = System.nanoTime() + WhisperServerProcess.HANG.toNanos();
        while (System.nanoTime() < deadline) {
            var server = ProcessHandle.of(wrapper).stream().flatMap(ProcessHandle::children)
                    .filter(child -> child.info().command().map(Path::of).filter(binary::equals).isPresent())
                    .findFirst();
            if (server.isPresent()) {
                return server.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no whisper-server under the watchdog " + wrapper);
    }
}
