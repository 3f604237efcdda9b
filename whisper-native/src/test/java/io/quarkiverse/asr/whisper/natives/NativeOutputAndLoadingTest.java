package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.whisper.natives.testjvm.ForkedJvm;

/** Scenarios that need a fresh JVM each: see {@link ChildJvm}. */
class NativeOutputAndLoadingTest {

    static final List<String> NATIVE_ACCESS = List.of("--enable-native-access=ALL-UNNAMED");
    /** whisper.cpp and ggml prefix every log line with the function name. */
    private static final Pattern NATIVE_TEXT = Pattern.compile("(?i)whisper|ggml");

    @Test
    void whisperCppOutputGoesToJavaLoggingOnly() throws Exception {
        ForkedJvm.Result child = ChildJvm.run(NATIVE_ACCESS, "transcribe");

        assertEquals(0, child.exit(), child.toString());
        assertTrue(child.stdout().contains("LANGUAGE en"), child.toString());
        assertTrue(child.stdout().lines().anyMatch(line -> line.startsWith(ChildJvm.LOG_PREFIX)
                && line.contains(NativeLog.CATEGORY) && line.contains("whisper_model_load: n_vocab")), child.toString());
        assertNoNativeText(child);
    }

    @Test
    void openMpThreadsSpinBrieflyUnlessTheEnvironmentChose() throws Exception {
        assumeTrue(System.getenv(OpenMpSpin.VARIABLE) == null && System.getenv("OMP_WAIT_POLICY") == null,
                "this environment sets the OpenMP wait policy itself: skipped");
        ForkedJvm.Result child = ChildJvm.run(NATIVE_ACCESS, "spin");
        assertEquals(0, child.exit(), child.toString());
        assertTrue(child.stdout().lines().anyMatch(("GOMP_SPINCOUNT " + OpenMpSpin.SPIN_COUNT)::equals), child.toString());

        ForkedJvm.Result chosen = ChildJvm.run(NATIVE_ACCESS, Map.of("OMP_WAIT_POLICY", "active"), "spin");
        assertEquals(0, chosen.exit(), chosen.toString());
        assertTrue(chosen.stdout().lines().anyMatch("GOMP_SPINCOUNT null"::equals), chosen.toString());
    }

    @Test
    void genericVariantCanBeForced() throws Exception {
        ForkedJvm.Result child = ChildJvm.run(
                List.of("--enable-native-access=ALL-UNNAMED", "-D" + WhisperLibrary.VARIANT_PROPERTY + "=generic"),
                "transcribe");

        assertEquals(0, child.exit(), child.toString());
        String arch = System.getProperty("os.arch");
        if (System.getProperty("os.name").startsWith("Linux")) {
            String expected = arch.equals("amd64") ? "linux-x86_64-generic" : "linux-aarch64-crc";
            assertTrue(child.stdout().contains("VARIANT " + expected), child.toString());
        }
        if (arch.equals("amd64")) {
            // the generic build is compiled without AVX2, whatever the CPU has
            String features = child.stdout().lines().filter(line -> line.startsWith("CPU FEATURES ")).findFirst()
                    .orElseThrow();
            assertFalse(features.contains("AVX"), features);
        }
        assertTrue(child.stdout().contains("LANGUAGE en"), child.toString());
        assertNoNativeText(child);
    }

    @Test
    void userLibraryIsLoadedWithItsOwnGgml() throws Exception {
        // the extracted bundle is a 1.7.1 build in a folder of its own, as a user's build would be
        Path libwhisper = WhisperLibrary.bundled().libraryFile();
        ForkedJvm.Result child = ChildJvm.run(NATIVE_ACCESS, "user", libwhisper.toString());

        assertEquals(0, child.exit(), child.toString());
        assertTrue(child.stdout().contains("VERSION 1.7.0-1.7.1"), child.toString());
        assertTrue(child.stdout().contains("VARIANT user"), child.toString());
        assertTrue(child.stdout().contains("LANGUAGE en"), child.toString());
    }

    @Test
    void librariesOfUnsupportedVersionsAreRefused() throws Exception {
        Path dir = Path.of("target", "fake-libs");
        Path newer = Gcc.sharedLibrary(dir, "newer", "const char * whisper_version(void) { return \"2.0.0\"; }");
        Path nextPatch = Gcc.sharedLibrary(dir, "nextpatch", "const char * whisper_version(void) { return \"1.9.4\"; }");
        Path supported = Gcc.sharedLibrary(dir, "supported", "const char * whisper_version(void) { return \"1.8.2\"; }");
        Path older = Gcc.sharedLibrary(dir, "older", "int whisper_pcm_to_mel_phase_vocoder(void) { return 0; }");
        Path foreign = Gcc.sharedLibrary(dir, "foreign", "int something_else(void) { return 0; }");

        ForkedJvm.Result child = ChildJvm.run(NATIVE_ACCESS, "refuse", newer.toString(), nextPatch.toString(),
                supported.toString(), older.toString(), foreign.toString());

        assertEquals(0, child.exit(), child.toString());
        List<String> refusals = child.stdout().lines().filter(line -> line.startsWith("REFUSED ")).toList();
        assertEquals(5, refusals.size(), child.toString());
        String supportedList = "1.7.0 to 1.7.5, 1.7.6 to 1.8.0, 1.8.1 to 1.9.3";
        assertTrue(refusals.get(0).contains(newer.toString()) && refusals.get(0).contains("whisper.cpp 2.0.0")
                && refusals.get(0).contains(supportedList), refusals.get(0));
        assertTrue(refusals.get(1).contains("whisper.cpp 1.9.4") && refusals.get(1).contains(supportedList),
                refusals.get(1));
        // a supported version: refused only for what it lacks, named for the family it was taken for
        assertTrue(refusals.get(2).contains("does not export whisper_context_default_params_by_ref")
                && refusals.get(2).contains("not a whisper.cpp 1.8.1 to 1.9.3 build"), refusals.get(2));
        assertTrue(refusals.get(3).contains("older than whisper.cpp 1.7.0"), refusals.get(3));
        assertTrue(refusals.get(4).contains("does not export"), refusals.get(4));
    }

    @Test
    void missingNativeAccessNamesTheFlag() throws Exception {
        ForkedJvm.Result child = ChildJvm.run(List.of("--illegal-native-access=deny"), "load");

        assertEquals(3, child.exit(), child.toString());
        assertTrue(child.stdout().contains("--enable-native-access=ALL-UNNAMED"), child.toString());
    }

    /** No whisper.cpp or ggml text on stderr, and on stdout only inside Java log records. */
    static void assertNoNativeText(ForkedJvm.Result child) {
        assertTrue(child.stderr().lines().noneMatch(line -> NATIVE_TEXT.matcher(line).find()), child.toString());
        assertTrue(child.stdout().lines()
                .filter(line -> !line.startsWith(ChildJvm.LOG_PREFIX))
                .filter(line -> !line.startsWith("VERSION ") && !line.startsWith("VARIANT ")
                        && !line.startsWith("CPU FEATURES "))
                .noneMatch(line -> NATIVE_TEXT.matcher(line).find()), child.toString());
    }
}
