package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.asr.whisper.natives.NativeBundle.Platform;
import io.quarkiverse.asr.whisper.natives.NativeBundle.Selection;

/** Variant choice and extraction of the bundled libraries (no loading: one library per process). */
class NativeBundleTest {

    @TempDir
    Path cache;

    @Test
    void choosesTheVariantFromCpuFlags() {
        assertEquals("avx2", Platform.LINUX_X86_64.bestVariant(Set.of("sse4_2", "avx", "avx2", "fma", "f16c")));
        assertEquals("generic", Platform.LINUX_X86_64.bestVariant(Set.of("sse4_2", "avx", "avx2", "fma")));
        assertEquals("generic", Platform.LINUX_X86_64.bestVariant(Set.of()));
        assertEquals("fp16", Platform.LINUX_AARCH64.bestVariant(Set.of("fp", "asimd", "asimdhp")));
        assertEquals("crc", Platform.LINUX_AARCH64.bestVariant(Set.of("fp", "asimd", "crc32")));
        assertEquals("metal", Platform.MACOS_AARCH64.bestVariant(Set.of()));
    }

    @Test
    void everyPlatformAndVariantIsPackaged() throws IOException {
        for (Platform platform : Platform.values()) {
            for (String variant : platform.ggmlResources.keySet()) {
                // extraction reads every resource it needs and fails on a missing one
                NativeBundle.Extracted files = NativeBundle.extract(new Selection(platform, variant), cache);
                assertEquals(platform.whisperFile, files.whisper().getFileName().toString());
                assertEquals(platform.ggmlFile, files.ggml().getFileName().toString());
                assertArrayEquals(resource(platform, platform.ggmlResources.get(variant)), Files.readAllBytes(files.ggml()));
            }
        }
        // the whisper-jni artifact's own JNI glue is not repackaged
        assertNull(NativeBundle.class.getResource("linux-x86_64/libwhisper-jni.so"));
        assertNull(NativeBundle.class.getResource("macos-aarch64/libwhisper-jni.dylib"));
    }

    @Test
    void extractsIntoAVersionedFolderAndWritesTheVariantAsLibggml() throws IOException {
        Selection selection = new Selection(Platform.LINUX_X86_64, "avx2");
        NativeBundle.Extracted files = NativeBundle.extract(selection, cache);

        Path folder = cache.resolve("whisper-1.7.1/linux-x86_64-avx2");
        assertEquals(folder.resolve("libggml.so"), files.ggml());
        assertEquals(folder.resolve("libwhisper.so.1"), files.whisper());
        assertArrayEquals(resource(Platform.LINUX_X86_64, "libggml+mf16c+mfma+mavx+mavx2.so"), Files.readAllBytes(files.ggml()));
        assertArrayEquals(resource(Platform.LINUX_X86_64, "libwhisper.so.1"), Files.readAllBytes(files.whisper()));
        assertEquals(List.of("libggml.so", "libwhisper.so.1"), list(folder));
    }

    @Test
    void repairsADamagedExtraction() throws IOException {
        Selection selection = new Selection(Platform.LINUX_X86_64, "generic");
        NativeBundle.Extracted files = NativeBundle.extract(selection, cache);
        byte[] original = Files.readAllBytes(files.ggml());

        Files.write(files.ggml(), new byte[] { 1, 2, 3 });
        NativeBundle.extract(selection, cache);
        assertArrayEquals(original, Files.readAllBytes(files.ggml()));

        // same size, different bytes
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x55;
        Files.write(files.ggml(), flipped);
        NativeBundle.extract(selection, cache);
        assertArrayEquals(original, Files.readAllBytes(files.ggml()));
        assertEquals(List.of("linux-x86_64-generic"), list(cache.resolve("whisper-1.7.1")), "no temporary folder left");
    }

    @Test
    void concurrentExtractionsAgree() throws Exception {
        Selection selection = new Selection(Platform.LINUX_AARCH64, "fp16");
        int racers = 6;
        CyclicBarrier start = new CyclicBarrier(racers);
        Callable<NativeBundle.Extracted> extract = () -> {
            start.await();
            return NativeBundle.extract(selection, cache);
        };
        List<Future<NativeBundle.Extracted>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                results.add(pool.submit(extract));
            }
        }
        for (Future<NativeBundle.Extracted> result : results) {
            NativeBundle.Extracted files = result.get();
            assertArrayEquals(resource(Platform.LINUX_AARCH64, "libggml+fp16.so"), Files.readAllBytes(files.ggml()));
            assertArrayEquals(resource(Platform.LINUX_AARCH64, "libwhisper.so.1"), Files.readAllBytes(files.whisper()));
        }
        assertEquals(List.of("linux-aarch64-fp16"), list(cache.resolve("whisper-1.7.1")), "no temporary folder left");
    }

    private static byte[] resource(Platform platform, String name) throws IOException {
        try (InputStream in = NativeBundle.class.getResourceAsStream(platform.id + "/" + name)) {
            return in.readAllBytes();
        }
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
