package io.quarkiverse.asr.whisper.natives;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz target for the model-file check: a file that {@link WhisperModelFile#validate} accepts must never crash
 * whisper.cpp's loader; it may load, or be refused with a {@link WhisperModelException}. The loads run in a child JVM
 * (kept across inputs, restarted after a crash), so that a crash shows as that JVM's death with the input that caused
 * it, not as the end of the test run.
 * <p>
 * An input edits the tiny test model: its first 4 bytes (little-endian) cut the file to that length when they are
 * positive and shorter, then each 8 bytes write a little-endian int32 value at an offset (modulo the length), which
 * reaches the header, the mel filters, the vocabulary and the tensor headers alike. The build runs the inputs kept in
 * {@code ModelFileFuzzTestInputs}; docs/testing.md has the command that fuzzes.
 */
class ModelFileFuzzTest {

    /** Marks the child's answers among whatever else whisper.cpp writes to its stdout. */
    private static final String ANSWER = "@@ ";
    private static final byte[] MODEL = read(TestData.TINY);
    private static final Loader LOADER = new Loader();

    @FuzzTest(maxDuration = "30m")
    void validatedModelsLoadOrAreRefused(byte[] edits) throws IOException, InterruptedException {
        Path file = Files.createTempFile("fuzzed-model", ".bin");
        try {
            Files.write(file, edit(edits));
            try {
                WhisperModelFile.validate(file);
            } catch (WhisperModelException refused) {
                return;
            }
            LOADER.load(file);
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void stopLoader() throws InterruptedException {
        LOADER.stop();
    }

    static byte[] edit(byte[] edits) {
        ByteBuffer in = ByteBuffer.wrap(edits).order(ByteOrder.LITTLE_ENDIAN);
        int length = MODEL.length;
        if (in.remaining() >= 4) {
            int cut = in.getInt();
            if (cut > 0 && cut < length) {
                length = cut;
            }
        }
        ByteBuffer model = ByteBuffer.wrap(Arrays.copyOf(MODEL, length)).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() >= 8 && length >= 4) {
            int offset = Math.floorMod(in.getInt(), length - 3);
            model.putInt(offset, in.getInt());
        }
        return model.array();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("the tiny test model is missing: " + file, e);
        }
    }

    /** The child JVM that loads models one by one: one path a line in, one answer a line out. */
    private static final class Loader {

        private Process process;
        private Writer requests;
        private BufferedReader answers;
        private Path errors;

        void load(Path file) throws IOException, InterruptedException {
            if (process == null) {
                start();
            }
            requests.write(file + "\n");
            requests.flush();
            String answer;
            do {
                answer = answers.readLine(); // whisper.cpp may write its log to the same stdout
            } while (answer != null && !answer.startsWith(ANSWER));
            if (answer == null) {
                int exit = process.waitFor();
                process = null;
                throw new AssertionError("whisper.cpp's loader crashed (exit " + exit + ") on a model that passed "
                        + "validation; kept as " + keep(file) + "\n" + Files.readString(errors));
            }
        }

        private void start() throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-D" + WhisperLibrary.CACHE_DIR_PROPERTY + "=" + System.getProperty(WhisperLibrary.CACHE_DIR_PROPERTY),
                    "-cp", System.getProperty("java.class.path"), Child.class.getName()));
            errors = Files.createTempFile("model-loader", ".err");
            process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        private static Path keep(Path file) throws IOException {
            Path kept = Path.of("target", "model-fuzz-crash-" + System.nanoTime() + ".bin");
            Files.createDirectories(kept.getParent());
            return Files.copy(file, kept);
        }

        void stop() throws InterruptedException {
            if (process != null) {
                try { // closing its stdin ends the child
                    requests.close();
                } catch (IOException ignored) {
                    // the child is gone already
                }
                process.waitFor();
                process = null;
                try {
                    Files.delete(errors);
                } catch (IOException ignored) {
                    // a temporary file: the system cleans it up
                }
            }
        }
    }

    /** Loads each model named on stdin with the bundled library and answers LOADED or REFUSED. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            WhisperLibrary library = WhisperLibrary.bundled();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                try (WhisperContext context = library.loadModel(Path.of(line), ContextParams.defaults())) {
                    System.out.println(ANSWER + "LOADED");
                } catch (WhisperModelException e) {
                    System.out.println(ANSWER + "REFUSED " + e.getMessage().replace('\n', ' '));
                }
                System.out.flush();
            }
        }
    }
}
