package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** gcc and other tools for tests that compile C; tests that need them are skipped where they are missing. */
final class Gcc {

    record Result(int exit, String output) {
    }

    private Gcc() {
    }

    /** Runs a command to its end, stderr into the output; exit -1 when it cannot be started. */
    static Result run(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }

    /** Skips the calling test when gcc cannot run. */
    static void assumeAvailable() throws InterruptedException {
        assumeTrue(run(List.of("gcc", "--version")).exit() == 0, "gcc is not available: skipped");
    }

    /** Compiles {@code source} into {@code dir/lib<name>.so}. */
    static Path sharedLibrary(Path dir, String name, String source) throws IOException, InterruptedException {
        assumeAvailable();
        Files.createDirectories(dir);
        Path c = Files.writeString(dir.resolve(name + ".c"), source + "\n");
        Path library = dir.resolve("lib" + name + ".so").toAbsolutePath();
        Result gcc = run(List.of("gcc", "-shared", "-fPIC", "-o", library.toString(), c.toString()));
        if (gcc.exit() != 0) {
            throw new AssertionError("gcc failed: " + gcc.output());
        }
        return library;
    }
}
