package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Scenarios that need a fresh JVM each: see {@link ChildJvm}. */
class NativeOutputAndLoadingTest {

    private static final List<String> NATIVE_ACCESS = List.of("--enable-native-access=ALL-UNNAMED");
    /** whisper.cpp and ggml prefix every log line with the function name. */
    private static final Pattern NATIVE_TEXT = Pattern.compile("(?i)whisper|ggml");

    @Test
    void whisperCppOutputGoesToJavaLoggingOnly() throws Exception {
        ChildJvm.Result child = ChildJvm.run(NATIVE_ACCESS, "transcribe");

        assertEquals(0, child.exit(), child.toString());
        assertTrue(child.stdout().contains("LANGUAGE en"), child.toString());
        assertTrue(child.stdout().lines().anyMatch(line -> line.startsWith(ChildJvm.LOG_PREFIX)
                && line.contains(NativeLog.CATEGORY) && line.contains("whisper_model_load: n_vocab")), child.toString());
        assertNoNativeText(child);
    }

    @Test
    void genericVariantCanBeForced() throws Exception {
        ChildJvm.Result child = ChildJvm.run(
                List.of("--enable-native-access=ALL-UNNAMED", "-D" + WhisperLibrary.VARIANT_PROPERTY + "=generic"),
                "transcribe");

        assertEquals(0, child.exit(), child.toString());
        String arch = System.getProperty("os.arch");
        if (System.getProperty("os.name").startsWith("Linux")) {
            String expected = arch.equals("amd64") ? "linux-x86_64-generic" : "linux-aarch64-crc";
            assertTrue(child.stdout().contains("VARIANT " + expected), child.toString());
        }
        assertTrue(child.stdout().contains("LANGUAGE en"), child.toString());
        assertNoNativeText(child);
    }

    @Test
    void userLibraryIsLoadedWithItsOwnGgml() throws Exception {
        // the extracted bundle is a 1.7.1 build in a folder of its own, as a user's build would be
        Path libwhisper = WhisperLibrary.bundled().libraryFile();
        ChildJvm.Result child = ChildJvm.run(NATIVE_ACCESS, "user", libwhisper.toString());

        assertEquals(0, child.exit(), child.toString());
        assertTrue(child.stdout().contains("VERSION 1.7.0-1.7.1"), child.toString());
        assertTrue(child.stdout().contains("VARIANT user"), child.toString());
        assertTrue(child.stdout().contains("LANGUAGE en"), child.toString());
    }

    @Test
    void librariesWithAnotherLayoutAreRefused() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "fake-libs")).toAbsolutePath();
        Path newer = compile(dir, "newer", "const char * whisper_version(void) { return \"1.8.2\"; }");
        Path older = compile(dir, "older", "int whisper_pcm_to_mel_phase_vocoder(void) { return 0; }");
        Path foreign = compile(dir, "foreign", "int something_else(void) { return 0; }");

        ChildJvm.Result child = ChildJvm.run(NATIVE_ACCESS, "refuse", newer.toString(), older.toString(),
                foreign.toString());

        assertEquals(0, child.exit(), child.toString());
        List<String> refusals = child.stdout().lines().filter(line -> line.startsWith("REFUSED ")).toList();
        assertEquals(3, refusals.size(), child.toString());
        assertTrue(refusals.get(0).contains(newer.toString()) && refusals.get(0).contains("1.8.2")
                && refusals.get(0).contains("1.7.1"), refusals.get(0));
        assertTrue(refusals.get(1).contains("older than whisper.cpp 1.7.0"), refusals.get(1));
        assertTrue(refusals.get(2).contains("does not export"), refusals.get(2));
    }

    @Test
    void missingNativeAccessNamesTheFlag() throws Exception {
        ChildJvm.Result child = ChildJvm.run(List.of("--illegal-native-access=deny"), "load");

        assertEquals(3, child.exit(), child.toString());
        assertTrue(child.stdout().contains("--enable-native-access=ALL-UNNAMED"), child.toString());
    }

    /** No whisper.cpp or ggml text on stderr, and on stdout only inside Java log records. */
    private static void assertNoNativeText(ChildJvm.Result child) {
        assertTrue(child.stderr().lines().noneMatch(line -> NATIVE_TEXT.matcher(line).find()), child.toString());
        assertTrue(child.stdout().lines()
                .filter(line -> !line.startsWith(ChildJvm.LOG_PREFIX))
                .filter(line -> !line.startsWith("VERSION ") && !line.startsWith("VARIANT "))
                .noneMatch(line -> NATIVE_TEXT.matcher(line).find()), child.toString());
    }

    private static Path compile(Path dir, String name, String source) throws IOException, InterruptedException {
        Path c = Files.writeString(dir.resolve(name + ".c"), source + "\n");
        Path library = dir.resolve("lib" + name + ".so");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", library.toString(), c.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc not available: " + e.getMessage());
            throw e;
        }
        String output = new String(gcc.getInputStream().readAllBytes());
        assumeTrue(gcc.waitFor() == 0, "gcc failed: " + output);
        return library;
    }
}
