package io.quarkiverse.asr.whisper.natives.testjvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM with this JVM's class path, for what a test cannot show twice in its own process
 * (one native library per process), cannot observe from inside (native writes to file descriptors 1 and 2) or must
 * measure without the test runner's noise (memory).
 */
public final class ForkedJvm {

    /** How the JVM ended and what it wrote. */
    public record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private ForkedJvm() {
    }

    /**
     * Runs {@code main} with {@code args} and waits for it to end.
     *
     * @param jvmOptions options placed before the class path (flags, system properties)
     * @param environment variables added to this process's environment
     * @param limit how long it may run; then it is killed and an {@link AssertionError} thrown
     */
    public static Result run(Class<?> main, List<String> jvmOptions, Map<String, String> environment, Duration limit,
            String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        // files rather than pipes: a child that writes much cannot block on a full pipe while nobody reads it
        Path out = Files.createTempFile("child", ".out");
        Path err = Files.createTempFile("child", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child JVM ran longer than " + limit + ": " + command + "\n--- stdout\n"
                        + Files.readString(out) + "--- stderr\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
