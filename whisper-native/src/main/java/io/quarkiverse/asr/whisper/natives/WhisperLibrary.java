package io.quarkiverse.asr.whisper.natives;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The whisper.cpp library of this process: either the build bundled in this jar (whisper.cpp 1.7.1 for
 * Linux and macOS, x86_64 and aarch64) or a library of the user's own (for example one built with CUDA), of
 * a release listed by {@link #supportedVersions()}.
 * <p>
 * A user library's version is read from {@code whisper_version()} (1.8.0 and later) or inferred from the
 * functions it exports (1.7.x), and chooses the struct layouts and enum codes this binding uses with it.
 * Any other version is refused before a struct is passed, never driven with a guessed layout; so is a library
 * whose own {@code whisper_full_params} defaults do not read back through the chosen layout.
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
    private final NativeVersion version;
    private final Path libraryFile;
    private final String variant;
    private final String systemInfo;
    private final Map<String, Map<String, String>> systemInfoSections;
    private final List<String> languages;

    private WhisperLibrary(WhisperBindings bindings, NativeVersion version, Path libraryFile, String variant) {
        this.bindings = bindings;
        this.version = version;
        this.libraryFile = libraryFile;
        this.variant = variant;
        this.systemInfo = WhisperBindings.string(bindings.printSystemInfo()).strip();
        this.systemInfoSections = NativeBackends.parseSystemInfo(systemInfo);
        List<String> codes = new ArrayList<>();
        for (int id = 0, max = bindings.langMaxId(); id <= max; id++) {
            codes.add(WhisperBindings.string(bindings.langStr(id)));
        }
        this.languages = List.copyOf(codes);
    }

    /**
     * The whisper.cpp releases whose libraries {@link #load(Path)} accepts, grouped by the layout of
     * {@code whisper_full_params} they share, e.g. "1.7.0 to 1.7.5".
     */
    public static List<String> supportedVersions() {
        return Stream.of(WhisperFullParamsStruct.Family.values()).map(WhisperFullParamsStruct.Family::range).toList();
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
        loaded = open(files.ggml(), files.whisper(), NativeVersion.parse(NativeBundle.VERSION).orElseThrow(),
                selection.id());
        return loaded;
    }

    /**
     * A whisper.cpp library of the user's own, in place of the bundled one. Its ggml library is found by the
     * system loader through the library's own RUNPATH/rpath.
     *
     * @param libwhisper the libwhisper shared library file
     * @throws WhisperLibraryException if the file does not exist, cannot be loaded, is not a whisper.cpp release of
     *         {@link #supportedVersions()} (the message names its version and those), lacks a function of its
     *         release, native access is disabled, or another whisper.cpp library is loaded already
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
     * Loads libggml (if given) and then libwhisper, chooses the API family and installs the log bridge.
     * {@code version} null means "a user library: detect its version, and refuse it unless supported".
     */
    private static WhisperLibrary open(Path libggml, Path libwhisper, NativeVersion version, String variant) {
        try {
            OpenMpSpin.bound();
            if (libggml != null) {
                // first, so that libwhisper's NEEDED libggml resolves to this very file
                load(libggml, Arena.global());
            }
            NativeVersion detected = version;
            if (detected == null) {
                // probe in an arena of its own so that a refused library is unloaded again
                try (Arena probe = Arena.ofConfined()) {
                    SymbolLookup lookup = load(libwhisper, probe);
                    detected = detectVersion(libwhisper, lookup);
                    checkLayout(libwhisper, detected, new WhisperBindings(lookup, family(libwhisper, detected)));
                }
            }
            WhisperBindings bindings = new WhisperBindings(load(libwhisper, Arena.global()), family(libwhisper, detected));
            bindings.logSet(NativeLog.upcallStub(detected));
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
     * The version of a user library: what {@code whisper_version} (1.8.0 on) says, or else what the functions
     * each 1.7.x release added show. Nothing here passes a struct.
     */
    static NativeVersion detectVersion(Path libwhisper, SymbolLookup lookup) {
        Optional<String> declared = WhisperBindings.version(lookup);
        if (declared.isPresent()) {
            return NativeVersion.parse(declared.get()).orElseThrow(() -> new WhisperLibraryException("The whisper library "
                    + libwhisper + " reports the version '" + declared.get() + "', which is no whisper.cpp release;"
                    + " this binding supports whisper.cpp " + WhisperFullParamsStruct.Family.supported() + "."));
        }
        if (lookup.find("whisper_pcm_to_mel_phase_vocoder").isPresent()) {
            throw new WhisperLibraryException("The whisper library " + libwhisper + " is older than whisper.cpp 1.7.0"
                    + " (it exports whisper_pcm_to_mel_phase_vocoder); this binding supports whisper.cpp "
                    + WhisperFullParamsStruct.Family.supported() + ".");
        }
        if (lookup.find("whisper_vad_default_params").isPresent()) {
            // VAD came in 1.7.6, whisper_version only in 1.8.0
            return NativeVersion.of(1, 7, 6);
        }
        if (lookup.find("whisper_full_get_segment_no_speech_prob_from_state").isPresent()) {
            return NativeVersion.of(1, 7, 5);
        }
        if (lookup.find("whisper_full_get_segment_no_speech_prob").isPresent()) {
            return NativeVersion.of(1, 7, 4);
        }
        if (lookup.find("whisper_get_timings").isPresent()) {
            return NativeVersion.of(1, 7, 2).shownAs("1.7.2-1.7.3");
        }
        return NativeVersion.of(1, 7, 0).shownAs("1.7.0-1.7.1");
    }

    /** The API family of {@code version}, or a refusal that names it and the supported releases. */
    static WhisperFullParamsStruct.Family family(Path libwhisper, NativeVersion version) {
        return WhisperFullParamsStruct.Family.of(version).orElseThrow(() -> new WhisperLibraryException(
                "The whisper library " + libwhisper + " is whisper.cpp " + version + ", whose structs this binding"
                        + " does not know; it supports whisper.cpp " + WhisperFullParamsStruct.Family.supported()
                        + ". Use such a build, or the bundled library."));
    }

    /**
     * Reads the library's own greedy defaults through the family's layout. A build whose struct differs from
     * its release's header (a snapshot between releases that reports the last release number) shows here,
     * before any struct is passed to it.
     */
    private static void checkLayout(Path libwhisper, NativeVersion version, WhisperBindings bindings) {
        MemorySegment memory = bindings.fullDefaultParamsByRef(WhisperFullParamsStruct.STRATEGY_GREEDY);
        if (memory.address() == 0) {
            throw new WhisperLibraryException("whisper_full_default_params_by_ref of " + libwhisper + " returned NULL");
        }
        List<String> mismatches = new ArrayList<>();
        try {
            var defaults = new WhisperFullParamsStruct(memory, bindings.family());
            expect(mismatches, "n_max_text_ctx", defaults.nMaxTextCtx(), 16384);
            expect(mismatches, "greedy.best_of", defaults.greedyBestOf(), 5);
            expect(mismatches, "grammar_penalty", defaults.grammarPenalty(), 100.0f);
            if (bindings.family().hasVad()) {
                expect(mismatches, "vad_params.threshold", defaults.vadParams().threshold(), 0.5f);
            }
        } finally {
            bindings.freeParams(memory);
        }
        if (!mismatches.isEmpty()) {
            throw new WhisperLibraryException("The whisper library " + libwhisper + " says it is whisper.cpp " + version
                    + ", but its whisper_full_params defaults do not read back through the whisper.cpp "
                    + bindings.family().range() + " layout (" + String.join(", ", mismatches) + "). It may be a"
                    + " development build between releases; use a release build, or the bundled library.");
        }
    }

    private static void expect(List<String> mismatches, String field, Object actual, Object expected) {
        if (!actual.equals(expected)) {
            mismatches.add(field + " reads " + actual + " instead of " + expected);
        }
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
        return loadModel(WhisperModelFile.validate(modelFile), params);
    }

    /**
     * Loads a model whose file {@link WhisperModelFile#validate} checked already: it is not walked again unless its
     * length or modification time changed since.
     *
     * @throws WhisperModelException if the file changed into an unusable one, or whisper.cpp rejects it
     */
    public WhisperContext loadModel(WhisperModelFile.Header model, ContextParams params) {
        Objects.requireNonNull(params, "params");
        Path file = (model.unchanged() ? model : WhisperModelFile.validate(model.file())).file();
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

    /**
     * Whether this library computes with flash attention unless told otherwise: the {@code flash_attn} of its
     * {@code whisper_context_default_params}, true from whisper.cpp 1.8.0 on.
     */
    public boolean flashAttentionByDefault() {
        MemorySegment defaults = bindings.contextDefaultParamsByRef();
        if (defaults.address() == 0) {
            throw new WhisperNativeException("whisper_context_default_params_by_ref returned NULL");
        }
        try {
            return new WhisperContextParamsStruct(defaults).flashAttn();
        } finally {
            bindings.freeContextParams(defaults);
        }
    }

    /**
     * whisper.cpp's version: "1.7.1" for the bundled build; for a user library what {@code whisper_version()}
     * says, or else what its functions show, a range where they cannot tell ("1.7.0-1.7.1").
     */
    public String version() {
        return version.text();
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

    /**
     * The backends the library computes with: ggml's registry (always the CPU; CUDA, Metal, Vulkan ... as built)
     * with their devices and the devices' memory as of this call, and backends that only the system info reports.
     */
    public List<Backend> backends() {
        return NativeBackends.list(bindings.ggmlRegistry(), version, systemInfoSections);
    }

    /**
     * The device to load models onto: the CPU, or a GPU of one of {@link #backends()}, with the context parameters
     * that select it in this library's release (whose way of numbering GPUs changed in 1.7.3, 1.7.5 and 1.8.1).
     *
     * @param backend "CPU"; the name of a GPU backend ("CUDA", "Metal", "Vulkan"..., case ignored); or {@code null}
     *        for the first GPU, or the CPU when the library has none
     * @param index the GPU among the backend's GPUs (among all of them for {@code null}); 0 is the first
     * @throws WhisperLibraryException when the library lacks the backend or the GPU, or cannot select that GPU: the
     *         message names the library, its version and its backends
     */
    public ComputeDevice selectDevice(String backend, int index) {
        List<Backend> backends = backends();
        try {
            return NativeBackends.select(backend, index, backends, version);
        } catch (WhisperLibraryException e) {
            String build = variant.equals(USER_VARIANT) ? "your own build" : "bundled build " + variant;
            throw new WhisperLibraryException("The whisper library " + libraryFile + " (whisper.cpp " + version + ", "
                    + build + ") cannot compute on " + (backend == null ? "a GPU" : backend) + ": " + e.getMessage()
                    + ". Its backends: " + NativeBackends.describe(backends), e);
        }
    }

    /**
     * The CPU features the library was built to use ("AVX2", "F16C", "NEON", ...), name to value ("1", or a
     * size), as whisper.cpp's system info reports them; from 1.7.5 on they include ggml build options such as
     * "OPENMP".
     */
    public Map<String, String> cpuFeatures() {
        return NativeBackends.cpuFeatures(systemInfoSections);
    }

    /**
     * Loads a voice activity detection model (e.g. {@code ggml-silero-v6.2.0.bin}) after checking its file.
     *
     * @param threads CPU threads, or 0 for whisper.cpp's default (4)
     * @throws WhisperLibraryException if the library has no VAD (whisper.cpp before 1.7.6)
     * @throws WhisperModelException if the file is unusable or whisper.cpp rejects it
     */
    public WhisperVad loadVadModel(Path modelFile, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must not be negative: " + threads);
        }
        return WhisperVad.load(bindings.vad(), modelFile, threads);
    }

    WhisperBindings bindings() {
        return bindings;
    }

    /** The layout family chosen for the loaded release. */
    WhisperFullParamsStruct.Family family() {
        return bindings.family();
    }

    NativeVersion nativeVersion() {
        return version;
    }

    @Override
    public String toString() {
        return "WhisperLibrary[whisper.cpp " + version + ", " + variant + ", " + libraryFile + "]";
    }
}
