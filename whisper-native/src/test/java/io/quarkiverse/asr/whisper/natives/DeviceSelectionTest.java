package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NativeBackends#select}: which backend and {@code gpu_device} a request comes to, for libraries offering
 * various backends, in the releases whose GPU numbering differs.
 */
class DeviceSelectionTest {

    private static final NativeVersion V1_7_1 = NativeVersion.of(1, 7, 1);
    private static final NativeVersion V1_7_4 = NativeVersion.of(1, 7, 4);
    private static final NativeVersion V1_8_0 = NativeVersion.of(1, 8, 0);
    private static final NativeVersion V1_8_3 = NativeVersion.of(1, 8, 3);
    private static final NativeVersion V1_8_4 = NativeVersion.of(1, 8, 4);

    private static final Backend.Device EPYC = device("CPU", "AMD EPYC 7763", Backend.DeviceType.CPU);
    private static final Backend CPU = new Backend("CPU", List.of(EPYC), true);
    private static final Backend.Device H100_0 = device("CUDA0", "NVIDIA H100", Backend.DeviceType.GPU);
    private static final Backend.Device H100_1 = device("CUDA1", "NVIDIA H100", Backend.DeviceType.GPU);
    private static final Backend CUDA_TWO = new Backend("CUDA", List.of(H100_0, H100_1), true);
    private static final Backend.Device RADEON = device("Vulkan0", "AMD Radeon RX 7900", Backend.DeviceType.GPU);
    private static final Backend.Device IRIS = device("Vulkan1", "Intel Iris Xe", Backend.DeviceType.IGPU);

    @ParameterizedTest
    @ValueSource(strings = { "CUDA", "Metal", "Vulkan" })
    void aCpuOnlyLibraryHasNoGpuBackend(String backend) {
        var e = assertThrows(WhisperLibraryException.class,
                () -> select(backend, 0, List.of(CPU), V1_7_1));
        assertEquals("it has no " + backend + " backend", e.getMessage());
    }

    @Test
    void aCpuOnlyLibraryComputesOnTheCpuForAutoAndCpu() {
        ComputeDevice cpu = new ComputeDevice("CPU", Optional.of(EPYC), false, 0);
        assertEquals(cpu, select(null, 0, List.of(CPU), V1_7_1));
        assertEquals(cpu, select("cpu", 0, List.of(CPU), V1_7_1));
        // no GPU at all: the index cannot matter
        assertEquals(cpu, select(null, 3, List.of(CPU), V1_7_1));
        assertEquals("CPU (AMD EPYC 7763)", cpu.describe());
    }

    @Test
    void cudaLibrary() {
        List<Backend> backends = List.of(CUDA_TWO, CPU);

        assertEquals(gpu("CUDA", H100_0, 0), select(null, 0, backends, V1_8_3));
        assertEquals(gpu("CUDA", H100_1, 1), select(null, 1, backends, V1_8_3));
        assertEquals(gpu("CUDA", H100_1, 1), select("cuda", 1, backends, V1_8_3));
        assertEquals(new ComputeDevice("CPU", Optional.of(EPYC), false, 0), select("CPU", 1, backends, V1_8_3));
        assertEquals("it has no Vulkan backend",
                assertThrows(WhisperLibraryException.class, () -> select("Vulkan", 0, backends, V1_8_3))
                        .getMessage());
        assertEquals("it has no Metal backend",
                assertThrows(WhisperLibraryException.class, () -> select("Metal", 0, backends, V1_8_3))
                        .getMessage());
        var outOfRange = assertThrows(WhisperLibraryException.class,
                () -> select("CUDA", 2, backends, V1_8_3));
        assertTrue(outOfRange.getMessage().contains("GPU index 2 is out of range: it has 2 CUDA GPUs"
                + " (CUDA0 (NVIDIA H100), CUDA1 (NVIDIA H100))"), outOfRange.getMessage());
        assertThrows(IllegalArgumentException.class, () -> select("CUDA", -1, backends, V1_8_3));
    }

    @Test
    void whisperCpp173And174UseOnlyTheFirstGpu() {
        List<Backend> backends = List.of(CUDA_TWO, CPU);

        assertEquals(gpu("CUDA", H100_0, 0), select("CUDA", 0, backends, V1_7_4));
        var e = assertThrows(WhisperLibraryException.class, () -> select("CUDA", 1, backends, V1_7_4));
        assertTrue(e.getMessage().startsWith("whisper.cpp 1.7.4 always uses the first GPU, CUDA0"), e.getMessage());
    }

    @Test
    void aBackendWithoutDevicesIsRefusedByName() {
        // a CUDA build on a machine without an NVIDIA driver registers CUDA with no device
        List<Backend> backends = List.of(new Backend("CUDA", List.of(), true), CPU);

        var e = assertThrows(WhisperLibraryException.class, () -> select("CUDA", 0, backends, V1_8_3));
        assertTrue(e.getMessage().startsWith("its CUDA backend finds no device"), e.getMessage());
        assertEquals("CPU", select(null, 0, backends, V1_8_3).backend());
    }

    @Test
    void gpuIndicesCountEveryBackendsGpusInRegistryOrder() {
        List<Backend> backends = List.of(new Backend("CUDA", List.of(H100_0), true),
                new Backend("Vulkan", List.of(RADEON, IRIS), true), CPU);

        assertEquals(gpu("Vulkan", RADEON, 1), select("vulkan", 0, backends, V1_8_3));
        // integrated GPUs count from 1.8.1 on
        assertEquals(gpu("Vulkan", IRIS, 2), select("Vulkan", 1, backends, V1_8_3));
        assertEquals(gpu("Vulkan", IRIS, 2), select(null, 2, backends, V1_8_3));
        var e = assertThrows(WhisperLibraryException.class, () -> select("Vulkan", 1, backends, V1_8_0));
        assertTrue(e.getMessage().contains("it has 1 Vulkan GPUs"), e.getMessage());
    }

    @Test
    void anIntegratedGpuAloneIsNotUsedBefore181() {
        List<Backend> backends = List.of(new Backend("Vulkan", List.of(IRIS), true), CPU);

        assertEquals("CPU", select(null, 0, backends, V1_8_0).backend());
        var e = assertThrows(WhisperLibraryException.class, () -> select("Vulkan", 0, backends, V1_8_0));
        assertTrue(e.getMessage().startsWith("its Vulkan backend has no GPU that whisper.cpp 1.8.0 uses"),
                e.getMessage());
        assertEquals(gpu("Vulkan", IRIS, 0), select(null, 0, backends, V1_8_3));
    }

    @Test
    void metalOnlyInTheSystemInfoOfWhisperCpp171() {
        // the bundled macOS arm64 build: ggml's registry has only the CPU, the system info says METAL = 1
        List<Backend> backends = List.of(CPU, new Backend("Metal", List.of(), false),
                new Backend("BLAS", List.of(), false));

        ComputeDevice metal = new ComputeDevice("Metal", Optional.empty(), true, 0);
        assertEquals(metal, select(null, 0, backends, V1_7_1));
        assertEquals(metal, select("METAL", 0, backends, V1_7_1));
        assertEquals("Metal", metal.describe());
        var e = assertThrows(WhisperLibraryException.class, () -> select("Metal", 1, backends, V1_7_1));
        assertTrue(e.getMessage().contains("does not list the devices of its Metal backend"), e.getMessage());
        assertFalse(select("CPU", 0, backends, V1_7_1).useGpu());
        assertEquals("it has no CUDA backend",
                assertThrows(WhisperLibraryException.class, () -> select("CUDA", 0, backends, V1_7_1))
                        .getMessage());
    }

    @Test
    void metalIsNamedMtlFrom184() {
        Backend.Device m3 = device("MTL0", "Apple M3 Max", Backend.DeviceType.GPU);
        List<Backend> backends = List.of(new Backend("MTL", List.of(m3), true), new Backend("BLAS", List.of(), true),
                CPU);

        assertEquals(gpu("MTL", m3, 0), select("Metal", 0, backends, V1_8_4));
        assertEquals(gpu("MTL", m3, 0), select(null, 0, backends, V1_8_4));
    }

    @Test
    void describesBackendsForMessages() {
        assertEquals("CUDA [CUDA0: NVIDIA H100 (GPU)], CUDA [no device], CPU [CPU: AMD EPYC 7763 (CPU)], Metal",
                NativeBackends.describe(List.of(new Backend("CUDA", List.of(H100_0), true),
                        new Backend("CUDA", List.of(), true), CPU, new Backend("Metal", List.of(), false))));
    }

    @Test
    void theBundledLibraryComputesOnItsCpu() {
        WhisperLibrary library = WhisperLibrary.bundled();
        ComputeDevice cpu = library.selectDevice("CPU", 0);

        assertFalse(cpu.useGpu());
        assertTrue(cpu.device().isPresent(), cpu.toString());
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertEquals(cpu, library.selectDevice(null, 0));
            var e = assertThrows(WhisperLibraryException.class, () -> library.selectDevice("CUDA", 0));
            assertTrue(e.getMessage().startsWith("The whisper library " + library.libraryFile() + " (whisper.cpp 1.7.1,"
                    + " bundled build " + library.variant() + ") cannot compute on CUDA: it has no CUDA backend. Its"
                    + " backends: CPU [CPU: "), e.getMessage());
        }
    }

    private static ComputeDevice select(String requested, int index, List<Backend> backends, NativeVersion version) {
        return NativeBackends.select(requested, index, backends, version);
    }

    private static ComputeDevice gpu(String backend, Backend.Device device, int gpuDevice) {
        return new ComputeDevice(backend, Optional.of(device), true, gpuDevice);
    }

    private static Backend.Device device(String name, String description, Backend.DeviceType type) {
        return new Backend.Device(name, description, type, 0, 0);
    }
}
