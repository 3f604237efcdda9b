package io.quarkiverse.asr.whisper.natives;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.quarkiverse.asr.whisper.natives.testjvm.ForkedJvm;

/**
 * Scenarios run in a {@link ForkedJvm}, for what one process cannot show twice (one library per process) or
 * cannot observe from inside (native writes to file descriptors 1 and 2). Java log records are printed to
 * stdout with the prefix {@value #LOG_PREFIX}, so any other whisper.cpp text in its output came from native code.
 */
final class ChildJvm {

    static final String LOG_PREFIX = "JAVA-LOG ";

    private ChildJvm() {
    }

    /** Runs {@link #main} with {@code scenario}; {@code jvmOptions} replace the native access flag when given. */
    static ForkedJvm.Result run(List<String> jvmOptions, String... scenario) throws IOException, InterruptedException {
        return run(jvmOptions, Map.of(), scenario);
    }

    /** As {@link #run(List, String...)}, with {@code environment} added to the child's. */
    static ForkedJvm.Result run(List<String> jvmOptions, Map<String, String> environment, String... scenario)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dasr.shared.dir=" + TestData.SHARED);
        options.add("-D" + WhisperLibrary.CACHE_DIR_PROPERTY + "=" + System.getProperty(WhisperLibrary.CACHE_DIR_PROPERTY));
        options.add("-Dorg.jboss.logging.provider=jdk");
        // only a guard against a hang: a busy machine may take long, and that is no failure
        return ForkedJvm.run(ChildJvm.class, options, environment, Duration.ofMinutes(10), scenario);
    }

    /**
     * Scenarios: {@code transcribe} (bundled library), {@code user <libwhisper>} (a user library), {@code refuse
     * <libwhisper>...} (libraries that must be refused), {@code load} (only load the bundled library),
     * {@code family181 <libwhisper> <sentence,...>} (the 1.8.1 family's features on a real build of it, the espeak
     * mini model on the given synthetic sentences), {@code spin}
     * (transcribe on two threads, then print GOMP_SPINCOUNT as the C library sees it).
     */
    public static void main(String[] args) throws Throwable {
        routeJavaLoggingToStdout();
        try {
            switch (args[0]) {
                case "transcribe" -> transcribe(WhisperLibrary.bundled());
                case "user" -> transcribe(WhisperLibrary.load(Path.of(args[1])));
                case "refuse" -> {
                    for (int i = 1; i < args.length; i++) {
                        try {
                            WhisperLibrary.load(Path.of(args[i]));
                            System.out.println("LOADED " + args[i]);
                        } catch (WhisperLibraryException e) {
                            System.out.println("REFUSED " + e.getMessage());
                        }
                    }
                }
                case "load" -> System.out.println("VARIANT " + WhisperLibrary.bundled().variant());
                case "family181" -> family181(WhisperLibrary.load(Path.of(args[1])), args[2].split(","));
                case "spin" -> {
                    transcribe(WhisperLibrary.bundled());
                    System.out.println("GOMP_SPINCOUNT " + nativeGetenv(OpenMpSpin.VARIABLE));
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        } catch (WhisperLibraryException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(3);
        }
        System.exit(0);
    }

    /** The variable as C code (libgomp) reads it: {@link System#getenv} is a copy made when the JVM started. */
    private static String nativeGetenv(String name) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
            return value.address() == 0 ? null : value.reinterpret(Long.MAX_VALUE).getString(0);
        }
    }

    private static void transcribe(WhisperLibrary library) {
        System.out.println("VERSION " + library.version());
        System.out.println("VARIANT " + library.variant());
        System.out.println("CPU FEATURES " + String.join(" ", library.cpuFeatures().keySet()));
        try (WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
                WhisperState state = context.newState()) {
            FullResult result = state.full(TestData.pcm16kMono(TestData.JFK), FullParams.builder().threads(2).build(),
                    FullCallbacks.NONE);
            System.out.println("LANGUAGE " + result.language());
        }
    }

    /**
     * Defaults through the 1.8.1 layout, then transcription with its options, VAD, language detection, the espeak
     * mini model's text with the new-segment callback, and an abort; then what is left unfreed.
     */
    private static void family181(WhisperLibrary library, String[] sentences) {
        System.out.println("VERSION " + library.version());
        System.out.println("VARIANT " + library.variant());
        System.out.println("FAMILY " + library.family());
        NativeParamsDefaultsTest.assertGreedyDefaults(library.bindings());
        NativeParamsDefaultsTest.assertBeamSearchDefaults(library.bindings());
        NativeParamsDefaultsTest.assertContextDefaults(library.bindings(), library.nativeVersion());
        NativeParamsDefaultsTest.assertVadDefaults(library.bindings().vad());
        System.out.println("DEFAULTS OK");
        float[] jfk = TestData.pcm16kMono(TestData.JFK);
        Path vadModel = TestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin");
        try (WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
                WhisperState state = context.newState();
                WhisperVad vad = library.loadVadModel(vadModel, 2)) {
            FullParams params = FullParams.builder().threads(2).initialPrompt("Kennedy").carryInitialPrompt(true)
                    .promptTokens(context.tokenize(" inaugural address")).build();
            System.out.println("LANGUAGE " + state.full(jfk, params, FullCallbacks.NONE).language());
            System.out.println("SPEECH " + vad.detectSpeech(jfk, VadParams.defaults()).stream()
                    .map(speech -> speech.t0Centis() + "-" + speech.t1Centis()).collect(Collectors.joining(" ")));
            FullResult speechOnly = state.full(jfk, FullParams.builder().threads(2).vad(true).vadModelPath(vadModel)
                    .build(), FullCallbacks.NONE);
            System.out.println("VAD TRANSCRIBED " + speechOnly.segments().size() + " segments");
        }
        try (WhisperContext context = library.loadModel(TestData.TINY, ContextParams.defaults());
                WhisperState state = context.newState()) {
            int detected = state.detectLanguage(jfk, 2).probabilities().size();
            System.out.println("DETECTED " + detected + " of " + library.languages().size() + " languages");
        }
        try (WhisperContext context = library.loadModel(TestData.ESPEAK_MINI, ContextParams.defaults());
                WhisperState state = context.newState()) {
            for (String sentence : sentences) {
                float[] pcm = TestData.pcm16kMono(TestData.synthetic(sentence));
                for (FullParams.Strategy strategy : FullParams.Strategy.values()) {
                    List<SegmentData> streamed = new ArrayList<>();
                    FullResult result = state.full(pcm, FullParams.builder().threads(2).strategy(strategy).build(),
                            new FullCallbacks() {
                                @Override
                                public void onNewSegment(SegmentData segment) {
                                    streamed.add(segment);
                                }
                            });
                    System.out.println("TEXT " + sentence + " " + strategy + " " + result.text());
                    System.out.println("STREAMED " + sentence + " " + strategy + " "
                            + (streamed.equals(result.segments()) ? "as returned" : streamed + " but returned "
                                    + result.segments()));
                }
            }
            try {
                state.full(TestData.pcm16kMono(TestData.synthetic(sentences[0])), FullParams.builder().threads(2).build(),
                        new FullCallbacks() {
                            @Override
                            public boolean shouldAbort() {
                                return true;
                            }
                        });
                System.out.println("NOT ABORTED");
            } catch (WhisperAbortedException e) {
                System.out.println("ABORTED " + e.code());
            }
        }
        System.out.println("LIVE " + WhisperContext.liveCount() + " contexts, " + WhisperState.liveCount()
                + " states, " + WhisperVad.liveCount() + " VAD models");
    }

    private static void routeJavaLoggingToStdout() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                System.out.println(LOG_PREFIX + record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage());
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {
            }
        });
        root.setLevel(Level.ALL);
    }
}
