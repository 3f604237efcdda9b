package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhisperLibraryTest {

    @Test
    void loadsTheBundledBuildForThisCpu() throws IOException {
        WhisperLibrary library = WhisperLibrary.bundled();

        assertEquals("1.7.1", library.version());
        assertTrue(Files.isRegularFile(library.libraryFile()), library.libraryFile().toString());
        assertTrue(library.libraryFile().startsWith(
                Path.of(System.getProperty(WhisperLibrary.CACHE_DIR_PROPERTY)).toAbsolutePath()));
        assertEquals(expectedVariant(), library.variant());
        assertTrue(library.systemInfo().contains("AVX") || library.systemInfo().contains("NEON"),
                library.systemInfo());
        assertSame(library, WhisperLibrary.bundled(), "one library per process");
    }

    @Test
    void systemInfoShowsTheVariantsInstructions() {
        WhisperLibrary library = WhisperLibrary.bundled();
        if (library.variant().equals("linux-x86_64-avx2")) {
            assertTrue(library.systemInfo().contains("AVX2 = 1"), library.systemInfo());
        } else if (library.variant().equals("linux-x86_64-generic")) {
            assertTrue(library.systemInfo().contains("AVX2 = 0"), library.systemInfo());
        }
    }

    @Test
    void listsWhisperLanguages() {
        List<String> languages = WhisperLibrary.bundled().languages();
        assertEquals("en", languages.get(0));
        assertTrue(languages.containsAll(List.of("de", "fr", "es", "pt")), languages.toString());
    }

    @Test
    void refusesASecondDifferentLibrary(@TempDir Path dir) throws IOException {
        WhisperLibrary library = WhisperLibrary.bundled();
        Path other = Files.copy(library.libraryFile(), dir.resolve("libwhisper.so.1"));

        var e = assertThrows(WhisperLibraryException.class, () -> WhisperLibrary.load(other));
        assertTrue(e.getMessage().contains("already loaded"), e.getMessage());
        if (!library.variant().endsWith("-generic") && !library.variant().endsWith("-crc")) {
            assertThrows(WhisperLibraryException.class, () -> WhisperLibrary.bundled(dir, true));
        }
    }

    @Test
    void aMissingUserLibraryIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("cuda/libwhisper.so");

        var e = assertThrows(WhisperLibraryException.class, () -> WhisperLibrary.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    /** What the CPU flags call for, worked out here independently of NativeBundle. */
    private static String expectedVariant() throws IOException {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        if (!os.startsWith("Linux")) {
            return WhisperLibrary.bundled().variant();
        }
        List<String> flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("flags") || line.startsWith("Features"))
                .findFirst()
                .map(line -> Arrays.asList(line.split(":", 2)[1].trim().split(" +")))
                .orElse(List.of());
        boolean generic = "generic".equals(System.getProperty(WhisperLibrary.VARIANT_PROPERTY));
        if (arch.equals("amd64")) {
            boolean avx2 = flags.containsAll(List.of("avx", "avx2", "fma", "f16c"));
            return avx2 && !generic ? "linux-x86_64-avx2" : "linux-x86_64-generic";
        }
        boolean fp16 = flags.contains("asimdhp") || flags.contains("fphp");
        return fp16 && !generic ? "linux-aarch64-fp16" : "linux-aarch64-crc";
    }
}
