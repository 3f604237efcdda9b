package io.quarkiverse.asr.whisper.natives;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.jboss.logging.Logger;

/**
 * The whisper.cpp library of this process: either the build bundled in this jar (whisper.cpp 1.7.1 for
 * Linux and macOS, x86_64 and aarch64) or a library of the user's own (for example one built with CUDA).
 * <p>
 * A process loads one whisper.cpp library and never unloads it; the factory methods return the loaded one
 * when asked again for the same and refuse a different one. Once loaded, whisper.cpp's and ggml's own output
 * goes to JBoss Logging (category {@value NativeLog#CATEGORY}) instead of stderr. Native access must be
 * enabled: {@code --enable-native-access=ALL-UNNAMED} on the class path.
 */
public final class WhisperLibrary {

    /** Folder under which the bundled libraries are extracted; default {@code ~/.cache/quarkus-asr/natives}. */
    public static final String CACHE_DIR_PROPERTY = "quarkus.asr.whisper.native-cache-dir";
    /**
     * {@code auto} (default) picks the fastest bundled build the CPU supports; {@code generic} forces the
     * build without CPU-specific instructions (to compare, or to work around a faulty detection).
     */
    public static final String VARIANT_PROPERTY = "quarkus.asr.whisper.native-variant";

    private static final Logger LOG = Logger.getLogger(WhisperLibrary.class);
    private static final String USER_VARIANT = "user";

    /** Guarded by {@code WhisperLibrary.class}. */
    private static WhisperLibrary loaded;

    private final WhisperBindings bindings;
    private final String version;
    private final Path libraryFile;
    private final String variant;
    private final String systemInfo;
    private final List<String> languages;

    private WhisperLibrary(WhisperBindings bindings, String version, Path libraryFile, String variant) {
        this.bindings = bindings;
        this.version = version;
        this.libraryFile = libraryFile;
        this.variant = variant;
        this.systemInfo = WhisperBindings.string(bindings.printSystemInfo()).strip();
        List<String> codes = new ArrayList<>();
        for (int id = 0, max = bindings.langMaxId(); id <= max; id++) {
            codes.add(WhisperBindings.string(bindings.langStr(id)));
        }
        this.languages = List.copyOf(codes);
    }

    /**
     * The bundled library, extracted under {@value #CACHE_DIR_PROPERTY} or {@code ~/.cache/quarkus-asr/natives},
     * in the variant chosen by {@value #VARIANT_PROPERTY}.
     */
    public static WhisperLibrary bundled() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY);
        return bundled(configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "quarkus-asr", "natives"));
    }

    /** The bundled library, extracted under {@code cacheDir}, in the variant chosen by {@value #VARIANT_PROPERTY}. */
    public static WhisperLibrary bundled(Path cacheDir) {
        String variant = System.getProperty(VARIANT_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        return switch (variant) {
            case "auto" -> bundled(cacheDir, false);
            case "generic" -> bundled(cacheDir, true);
            default -> throw new WhisperLibraryException(
                    "Unknown " + VARIANT_PROPERTY + " '" + variant + "'; use auto or generic");
        };
    }

    /**
     * The bundled library, extracted to {@code cacheDir/whisper-1.7.1/<platform>-<variant>/} if not there
     * yet, and loaded.
     *
     * @param genericCpu use the build without CPU-specific instructions even where a faster one would run
     * @throws WhisperLibraryException if nothing is bundled for this platform, extraction or loading fails,
     *         native access is disabled, or another whisper.cpp library is loaded already
     */
    public static synchronized WhisperLibrary bundled(Path cacheDir, boolean genericCpu) {
        Objects.requireNonNull(cacheDir, "cacheDir");
        NativeBundle.Selection selection = NativeBundle.Selection.forThisMachine(genericCpu);
        if (loaded != null) {
            if (loaded.variant.equals(selection.id())) {
                return loaded;
            }
            throw alreadyLoaded("the bundled " + selection.id() + " build");
        }
        NativeBundle.Extracted files = NativeBundle.extract(selection, cacheDir);
        loaded = open(files.ggml(), files.whisper(), NativeBundle.VERSION, selection.id());
        return loaded;
    }

    /**
     * A whisper.cpp library of the user's own, in place of the bundled one. Its ggml library is found by the
     * system loader through the library's own RUNPATH/rpath.
     *
     * @param libwhisper the libwhisper shared library file
     * @throws WhisperLibraryException if the file does not exist, cannot be loaded, is not whisper.cpp 1.7.0 to
     *         1.7.5 (the {@code whisper_full_params} layout this binding supports), native access is disabled,
     *         or another whisper.cpp library is loaded already
     */
    public static synchronized WhisperLibrary load(Path libwhisper) {
        Path file = libwhisper.toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            throw new WhisperLibraryException("The configured whisper library " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new WhisperLibraryException("The configured whisper library " + file + " is not a regular file");
        }
        if (loaded != null) {
            if (loaded.variant.equals(USER_VARIANT) && loaded.libraryFile.equals(file)) {
                return loaded;
            }
            throw alreadyLoaded(file.toString());
        }
        loaded = open(null, file, null, USER_VARIANT);
        return loaded;
    }

    /**
     * Loads libggml (if given) and then libwhisper, checks the API version and installs the log bridge.
     * {@code version} null means "a user library: detect it, and refuse layouts other than 1.7.1's".
     */
    private static WhisperLibrary open(Path libggml, Path libwhisper, String version, String variant) {
        try {
            if (libggml != null) {
                // first, so that libwhisper's NEEDED libggml resolves to this very file
                load(libggml, Arena.global());
            }
            String detected = version;
            if (detected == null) {
                // probe in an arena of its own so that a refused library is unloaded again
                try (Arena probe = Arena.ofConfined()) {
                    detected = detectVersion(libwhisper, load(libwhisper, probe));
                }
            }
            WhisperBindings bindings = new WhisperBindings(load(libwhisper, Arena.global()));
            bindings.logSet(NativeLog.upcallStub());
            WhisperLibrary library = new WhisperLibrary(bindings, detected, libwhisper, variant);
            LOG.infof("Loaded whisper.cpp %s (%s) from %s", detected, variant, libwhisper);
            LOG.debugf("whisper.cpp system info: %s", library.systemInfo);
            return library;
        } catch (IllegalCallerException e) {
            throw new WhisperLibraryException(String.format(
                    "whisper.cpp cannot be loaded: Java code has no access to native functions (%s). To enable it,"
                            + " pass --enable-native-access=ALL-UNNAMED on the java command line (or"
                            + " --enable-native-access=<module> when running on the module path).",
                    e.getMessage()), e);
        }
    }

    private static SymbolLookup load(Path library, Arena arena) {
        try {
            return SymbolLookup.libraryLookup(library, arena);
        } catch (IllegalArgumentException e) {
            throw new WhisperLibraryException("Cannot load the native library " + library + ": " + e.getMessage(), e);
        }
    }

    /**
     * The version of a user library from what it exports. Only {@code whisper_version} (1.7.6 on) states it;
     * older versions show through the functions each added. Layouts other than 1.7.1's are refused here,
     * before any call that passes a struct.
     */
    private static String detectVersion(Path libwhisper, SymbolLookup lookup) {
        String declared = WhisperBindings.version(lookup).orElse(null);
        if (declared != null) {
            throw new WhisperLibraryException("The whisper library " + libwhisper + " is whisper.cpp " + declared
                    + ", whose whisper_full_params layout differs from 1.7.1's; this binding supports the whisper.cpp"
                    + " 1.7.1 layout (libraries 1.7.0 to 1.7.5) only. Use such a build, or the bundled library.");
        }
        if (lookup.find("whisper_pcm_to_mel_phase_vocoder").isPresent()) {
            throw new WhisperLibraryException("The whisper library " + libwhisper + " is older than whisper.cpp 1.7.0"
                    + " (it exports whisper_pcm_to_mel_phase_vocoder); this binding supports the whisper.cpp 1.7.1"
                    + " layout (libraries 1.7.0 to 1.7.5) only.");
        }
        if (lookup.find("whisper_full_get_segment_no_speech_prob_from_state").isPresent()) {
            return "1.7.5";
        }
        if (lookup.find("whisper_full_get_segment_no_speech_prob").isPresent()) {
            return "1.7.4";
        }
        if (lookup.find("whisper_get_timings").isPresent()) {
            return "1.7.2-1.7.3";
        }
        return "1.7.0-1.7.1";
    }

    private static WhisperLibraryException alreadyLoaded(String requested) {
        return new WhisperLibraryException("Cannot load " + requested + ": this process already loaded whisper.cpp "
                + loaded.version + " (" + loaded.variant + ") from " + loaded.libraryFile
                + ", and a process can use one whisper.cpp library only");
    }

    /**
     * Loads a model after checking its file, so that a missing, truncated or foreign file fails with an
     * exception instead of crashing the JVM in whisper.cpp.
     *
     * @throws WhisperModelException if the file is unusable or whisper.cpp rejects it
     */
    public WhisperContext loadModel(Path modelFile, ContextParams params) {
        Objects.requireNonNull(params, "params");
        Path file = modelFile.toAbsolutePath().normalize();
        WhisperModelFile.validate(file);
        MemorySegment defaults = bindings.contextDefaultParamsByRef();
        if (defaults.address() == 0) {
            throw new WhisperNativeException("whisper_context_default_params_by_ref returned NULL");
        }
        MemorySegment ctx;
        try (Arena arena = Arena.ofConfined()) {
            WhisperContextParamsStruct struct = new WhisperContextParamsStruct(defaults);
            struct.useGpu(params.useGpu());
            struct.flashAttn(params.flashAttention());
            struct.gpuDevice(params.gpuDevice());
            ctx = bindings.initFromFileWithParamsNoState(arena.allocateFrom(file.toString()), struct.segment());
        } finally {
            bindings.freeContextParams(defaults);
        }
        if (ctx.address() == 0) {
            throw new WhisperModelException("whisper.cpp could not load the model " + file + " (see log category "
                    + NativeLog.CATEGORY + " for the reason)");
        }
        return new WhisperContext(bindings, ctx, file);
    }

    /** whisper.cpp's version: "1.7.1" for the bundled build; detected for a user library, a range where it cannot tell. */
    public String version() {
        return version;
    }

    /** The loaded libwhisper file. */
    public Path libraryFile() {
        return libraryFile;
    }

    /**
     * Which build: {@code <platform>-<cpu variant>} for the bundled one (e.g. "linux-x86_64-avx2",
     * "linux-x86_64-generic", "linux-aarch64-fp16", "macos-aarch64-metal"), "user" for a user library.
     */
    public String variant() {
        return variant;
    }

    /** whisper_print_system_info(): the CPU features and backends the library uses. */
    public String systemInfo() {
        return systemInfo;
    }

    /** whisper.cpp's language codes, indexed by language id ("en", "zh", "de", ...). */
    public List<String> languages() {
        return languages;
    }

    WhisperBindings bindings() {
        return bindings;
    }

    @Override
    public String toString() {
        return "WhisperLibrary[whisper.cpp " + version + ", " + variant + ", " + libraryFile + "]";
    }
}
