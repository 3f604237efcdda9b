package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        assertEquals(WhisperFullParamsStruct.Family.V1_7_0, library.family());
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
    void reportsTheBackendsOfTheBundledBuild() {
        WhisperLibrary library = WhisperLibrary.bundled();
        List<Backend> backends = library.backends();

        Backend cpu = backends.stream().filter(backend -> backend.name().equals("CPU")).findFirst()
                .orElseThrow(() -> new AssertionError("no CPU backend in " + backends));
        assertFalse(cpu.devices().isEmpty(), backends.toString());
        assertTrue(cpu.devices().stream().allMatch(device -> device.type() == Backend.DeviceType.CPU), backends.toString());
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(backends.stream().noneMatch(backend -> List.of("CUDA", "Metal", "Vulkan").contains(backend.name())),
                    backends.toString());
        }
    }

    @Test
    void cpuFeaturesFollowTheVariant() {
        WhisperLibrary library = WhisperLibrary.bundled();
        Map<String, String> features = library.cpuFeatures();

        if (library.variant().startsWith("linux-x86_64")) {
            // the generic build is compiled for plain x86-64: no SSE3 even
            boolean avx2 = library.variant().equals("linux-x86_64-avx2");
            assertEquals(avx2, features.containsKey("AVX2"), features.toString());
            assertEquals(avx2, features.containsKey("F16C"), features.toString());
            assertEquals(avx2, features.containsKey("SSE3"), features.toString());
            assertFalse(features.containsKey("NEON"), features.toString());
        } else if (library.variant().startsWith("linux-aarch64")) {
            assertTrue(features.containsKey("NEON"), features.toString());
        }
        assertTrue(features.values().stream().noneMatch("0"::equals), features.toString());
        assertTrue(features.keySet().stream().noneMatch(List.of("CUDA", "METAL", "BLAS", "COREML")::contains),
                features.toString());
    }

    @Test
    void readsBothSystemInfoFormats() {
        var legacy = NativeBackends.parseSystemInfo("AVX = 1 | AVX2 = 0 | METAL = 1 | F16C = 1 | BLAS = 1 | COREML = 0");
        assertEquals(Map.of("AVX", "1", "F16C", "1"), NativeBackends.cpuFeatures(legacy));
        assertEquals(List.of(new Backend("Metal", List.of(), false), new Backend("BLAS", List.of(), false)),
                NativeBackends.list(Optional.empty(), NativeVersion.of(1, 7, 1), legacy));

        var sections = NativeBackends.parseSystemInfo("WHISPER : COREML = 1 | OPENVINO = 0 | CPU : SSE3 = 1 | AVX2 = 1"
                + " | OPENMP = 1 | CUDA : ARCHS = 890 | USE_GRAPHS = 1 |");
        assertEquals(Map.of("SSE3", "1", "AVX2", "1", "OPENMP", "1"), NativeBackends.cpuFeatures(sections));
        assertEquals(Map.of("ARCHS", "890", "USE_GRAPHS", "1"), sections.get("CUDA"));
        assertEquals(List.of(new Backend("CoreML", List.of(), false)),
                NativeBackends.list(Optional.empty(), NativeVersion.of(1, 8, 3), sections));
    }

    @Test
    void mapsDeviceTypeCodesByRelease() {
        assertEquals(Backend.DeviceType.CPU, NativeBackends.deviceType(NativeVersion.of(1, 7, 1), 2));
        assertEquals(Backend.DeviceType.GPU, NativeBackends.deviceType(NativeVersion.of(1, 7, 1), 3));
        assertEquals(Backend.DeviceType.ACCEL, NativeBackends.deviceType(NativeVersion.of(1, 7, 6), 2));
        assertEquals(Backend.DeviceType.IGPU, NativeBackends.deviceType(NativeVersion.of(1, 8, 3), 2));
        assertEquals(Backend.DeviceType.ACCEL, NativeBackends.deviceType(NativeVersion.of(1, 8, 3), 3));
        assertEquals(Backend.DeviceType.META, NativeBackends.deviceType(NativeVersion.of(1, 8, 5), 4));
        assertEquals(Backend.DeviceType.UNKNOWN, NativeBackends.deviceType(NativeVersion.of(1, 8, 4), 4));
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
