package io.quarkiverse.asr.whisper.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The whisper.cpp 1.7.1 libraries packaged in this jar: which platform and CPU variant to use, and their
 * extraction to a per-version cache folder, {@code <cache>/whisper-1.7.1/<platform>-<variant>/}.
 * <p>
 * The chosen ggml build is always written as the file name libwhisper links against ({@code libggml.so},
 * {@code libggml.dylib}), so the loader resolves libwhisper's dependency through its RUNPATH / rpath to
 * the right variant. Extraction writes a temporary folder and renames it into place, so a JVM never
 * loads a half-written file, and several JVMs may extract at once.
 */
final class NativeBundle {

    static final String VERSION = "1.7.1";

    private static final Logger LOG = Logger.getLogger(NativeBundle.class);

    /** The platforms with a bundled build and their CPU variants, each a ggml resource. */
    enum Platform {
        LINUX_X86_64("linux-x86_64", "libwhisper.so.1", "libggml.so", "generic",
                Map.of("avx2", "libggml+mf16c+mfma+mavx+mavx2.so", "generic", "libggml.so")) {
            @Override
            String bestVariant(Set<String> cpuFlags) {
                // the flags the AVX2 build was compiled for (-mf16c -mfma -mavx -mavx2)
                return cpuFlags.containsAll(Set.of("avx", "avx2", "fma", "f16c")) ? "avx2" : "generic";
            }
        },
        LINUX_AARCH64("linux-aarch64", "libwhisper.so.1", "libggml.so", "crc",
                Map.of("fp16", "libggml+fp16.so", "crc", "libggml+crc.so")) {
            @Override
            String bestVariant(Set<String> cpuFlags) {
                return cpuFlags.contains("asimdhp") || cpuFlags.contains("fphp") ? "fp16" : "crc";
            }
        },
        MACOS_AARCH64("macos-aarch64", "libwhisper.1.dylib", "libggml.dylib", "metal",
                Map.of("metal", "libggml.dylib")),
        MACOS_X86_64("macos-x86_64", "libwhisper.1.dylib", "libggml.dylib", "generic",
                Map.of("generic", "libggml.dylib"));

        final String id;
        final String whisperFile;
        final String ggmlFile;
        final String genericVariant;
        final Map<String, String> ggmlResources;

        Platform(String id, String whisperFile, String ggmlFile, String genericVariant,
                Map<String, String> ggmlResources) {
            this.id = id;
            this.whisperFile = whisperFile;
            this.ggmlFile = ggmlFile;
            this.genericVariant = genericVariant;
            this.ggmlResources = ggmlResources;
        }

        /** The fastest variant these CPU flags ({@code /proc/cpuinfo} names) can run. */
        String bestVariant(Set<String> cpuFlags) {
            return genericVariant;
        }

        /** The platform of this JVM, or a {@link WhisperLibraryException} when nothing is bundled for it. */
        static Platform current() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
            boolean arm = arch.equals("aarch64") || arch.equals("arm64");
            if (os.startsWith("linux") && x86) {
                return LINUX_X86_64;
            }
            if (os.startsWith("linux") && arm) {
                return LINUX_AARCH64;
            }
            if (os.startsWith("mac") && arm) {
                return MACOS_AARCH64;
            }
            if (os.startsWith("mac") && x86) {
                return MACOS_X86_64;
            }
            throw new WhisperLibraryException("No bundled whisper.cpp library for " + os + "/" + arch
                    + "; load a whisper.cpp library of your own (see WhisperLibrary.supportedVersions()) with"
                    + " WhisperLibrary.load(Path)");
        }
    }

    /** A platform and one of its variants; {@link #id()} names the cache folder and {@link WhisperLibrary#variant()}. */
    record Selection(Platform platform, String variant) {
        String id() {
            return platform.id + "-" + variant;
        }

        /** Chooses for this JVM's platform and CPU; {@code generic} skips CPU-specific builds. */
        static Selection forThisMachine(boolean generic) {
            Platform platform = Platform.current();
            String variant = generic ? platform.genericVariant : platform.bestVariant(cpuFlags());
            return new Selection(platform, variant);
        }
    }

    /** Where a selection was extracted. */
    record Extracted(Path ggml, Path whisper) {
    }

    private NativeBundle() {
    }

    /**
     * Extracts {@code selection} under {@code cacheRoot} unless an identical copy is already there, and
     * returns the files to load.
     */
    static Extracted extract(Selection selection, Path cacheRoot) {
        Platform platform = selection.platform();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(platform.ggmlFile, resource(platform, platform.ggmlResources.get(selection.variant())));
        files.put(platform.whisperFile, resource(platform, platform.whisperFile));
        Path target = cacheRoot.toAbsolutePath().resolve("whisper-" + VERSION).resolve(selection.id());
        try {
            if (!matches(target, files)) {
                install(target, files);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new WhisperLibraryException("Cannot extract the bundled whisper.cpp library to " + target
                    + " (set " + WhisperLibrary.CACHE_DIR_PROPERTY + " to a writable folder): " + e, e);
        }
        LOG.debugf("whisper.cpp %s natives for %s are in %s", VERSION, selection.id(), target);
        return new Extracted(target.resolve(platform.ggmlFile), target.resolve(platform.whisperFile));
    }

    private static void install(Path target, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        try {
            for (var file : files.entrySet()) {
                Files.write(temp.resolve(file.getKey()), file.getValue());
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.debugf("Extracted whisper.cpp natives to %s", target);
                return;
            } catch (IOException e) {
                // target exists: another JVM just extracted it, or it holds stale or damaged files
            }
            if (matches(target, files)) {
                return;
            }
            // Replace file by file: each rename swaps atomically, so a JVM loading meanwhile sees old or new, never part.
            Files.createDirectories(target);
            for (String name : files.keySet()) {
                Files.move(temp.resolve(name), target.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
            if (!matches(target, files)) {
                throw new IOException("the extracted files in " + target + " keep changing");
            }
            LOG.debugf("Replaced stale whisper.cpp natives in %s", target);
        } finally {
            deleteTree(temp);
        }
    }

    private static boolean matches(Path folder, Map<String, byte[]> files) throws IOException {
        for (var file : files.entrySet()) {
            Path path = folder.resolve(file.getKey());
            if (!Files.isRegularFile(path) || Files.size(path) != file.getValue().length
                    || !Arrays.equals(Files.readAllBytes(path), file.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static byte[] resource(Platform platform, String name) {
        String path = platform.id + "/" + name;
        try (InputStream in = NativeBundle.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new WhisperLibraryException("The bundled whisper.cpp library " + path
                        + " is missing from the class path (next to " + NativeBundle.class.getName() + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new WhisperLibraryException("Cannot read the bundled whisper.cpp library " + path, e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf(e, "Could not remove the temporary folder %s", root);
        }
    }

    /** CPU feature names from /proc/cpuinfo ("flags" on x86, "Features" on ARM); empty where there is none. */
    static Set<String> cpuFlags() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Set.of();
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(line -> line.startsWith("flags") || line.startsWith("Features"))
                    .findFirst()
                    .map(line -> Set.copyOf(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))))
                    .orElse(Set.of());
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf(e, "Cannot read %s; using the generic whisper.cpp build", cpuinfo);
            return Set.of();
        }
    }
}
