package io.quarkiverse.asr.whisper.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The child side of {@link NativeMemoryTest}, run in a JVM of its own: many transcriptions on one provider, or many
 * providers loaded and closed. It prints its memory use after each round or cycle, when no transcription runs, as
 * {@code MEMORY <point> <resident bytes> <malloc bytes>}.
 */
final class NativeMemoryScenarios {

    private static final TranscriptionOptions ENGLISH = TranscriptionOptions.builder().language("en").build();
    private static final TranscriptionOptions WORDS = TranscriptionOptions.builder().language("en")
            .wordTimestamps(true).build();
    private static final TranscriptionOptions BEAM_SEARCH = TranscriptionOptions.builder().language("en").beamSize(2)
            .build();
    private static final TranscriptionOptions TRANSLATE_WITHOUT_TIMESTAMPS = TranscriptionOptions.builder()
            .translate(true).timestamps(false).build();
    /** Known to the options, unknown to whisper.cpp: fails after the state is taken from the pool. */
    private static final TranscriptionOptions UNKNOWN_LANGUAGE = TranscriptionOptions.builder().language("xx").build();

    /** Provider calls in one {@link #round}. */
    static final int CALLS_PER_ROUND = 8;

    private NativeMemoryScenarios() {
    }

    /**
     * {@code transcriptions <model> <warm-up rounds> <rounds>} or {@code reloads <model> <cycles>}; the model is a
     * multilingual one, so that requests without a language run whisper.cpp's language detection.
     */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[1]);
        switch (args[0]) {
            case "transcriptions" -> transcriptions(model, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "reloads" -> reloads(model, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    private static void transcriptions(Path model, int warmUpRounds, int rounds) throws Exception {
        AudioInput audio = shortClip();
        try (WhisperAsrProvider asr = WhisperAsrProvider.create(model, TestData.settings(2, 2, Optional.empty()))) {
            for (int i = 0; i < warmUpRounds; i++) {
                round(asr, audio);
            }
            long start = System.nanoTime();
            for (int i = 1; i <= rounds; i++) {
                round(asr, audio);
                measure("round-" + i);
            }
            System.out.printf("ROUND_MILLIS %d%n", (System.nanoTime() - start) / 1_000_000 / rounds);
        }
    }

    /**
     * Every path that allocates native memory and every way a transcription ends (done, aborted while decoding or
     * encoding, failed), two at a time on the provider's two states.
     */
    private static void round(WhisperAsrProvider asr, AudioInput audio) throws Exception {
        // no language: detection, then greedy decoding; and token timestamps folded into words
        both(asr.transcribe(audio, TranscriptionOptions.defaults()), asr.transcribe(audio, WORDS));
        both(asr.transcribe(audio, BEAM_SEARCH), asr.transcribe(audio, TRANSLATE_WITHOUT_TIMESTAMPS));
        // streamed segments, and a stream whose subscriber leaves after the first segment: aborted while decoding
        both(asr.transcribeSegments(audio, WORDS).collect().asList(),
                asr.transcribeSegments(audio, ENGLISH).select().first(1).collect().asList());
        // cancelled as soon as a worker runs it: aborted in the spectrogram or the encoder
        awaitActive(asr, 0);
        Cancellable cancelled = asr.transcribe(audio, ENGLISH).subscribe().with(t -> {
        }, f -> {
        });
        awaitActive(asr, 1);
        cancelled.cancel();
        CompletableFuture<?> failed = asr.transcribe(audio, UNKNOWN_LANGUAGE).subscribeAsCompletionStage();
        if (!failed.handle((t, failure) -> failure instanceof IllegalArgumentException).join()) {
            throw new AssertionError("An unknown language did not fail the transcription");
        }
        awaitActive(asr, 0);
    }

    private static void both(Uni<?> first, Uni<?> second) {
        CompletableFuture<?> one = first.subscribeAsCompletionStage();
        CompletableFuture<?> other = second.subscribeAsCompletionStage();
        one.join();
        other.join();
    }

    private static void reloads(Path model, int cycles) throws Exception {
        AudioInput audio = shortClip();
        // kept reachable, so that only close() can free their native memory, not the cleaners of forgotten handles
        List<WhisperAsrProvider> closed = new ArrayList<>();
        closed.add(loadUseAndClose(model, audio, "first-loaded"));
        measure("first-closed");
        for (int i = 1; i <= cycles; i++) {
            closed.add(loadUseAndClose(model, audio, null));
            measure("closed-" + i);
        }
        System.out.println("CLOSED " + closed.size());
    }

    /** A provider with its model and two states, used by two transcriptions at once, measured if named, closed. */
    private static WhisperAsrProvider loadUseAndClose(Path model, AudioInput audio, String loaded) throws Exception {
        WhisperAsrProvider asr = WhisperAsrProvider.create(model, TestData.settings(2, 0, Optional.empty()));
        both(asr.transcribe(audio, ENGLISH), asr.transcribe(audio, ENGLISH));
        if (loaded != null) {
            measure(loaded);
        }
        asr.close();
        return asr;
    }

    private static AudioInput shortClip() {
        return AudioInput.ofSamples(AudioInput.of(TestData.SHORT).decode(WhisperAsrProvider.SAMPLE_RATE).samples(),
                WhisperAsrProvider.SAMPLE_RATE);
    }

    private static void awaitActive(WhisperAsrProvider asr, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (asr.activeTranscriptions() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not " + count + " transcriptions running after 30 s");
            }
            Thread.sleep(1);
        }
    }

    private static void measure(String point) throws IOException {
        System.out.printf("MEMORY %s %d %d%n", point, residentBytes(), Malloc.bytesInUse());
    }

    private static long residentBytes() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }

    /**
     * glibc's count of the bytes malloc has handed out and not had back, native libraries and the JVM together: exact
     * where resident memory is blurred by pages the allocator keeps, but complete only with one malloc arena
     * ({@code MALLOC_ARENA_MAX=1}), since mallinfo2 reports the main arena alone.
     */
    private static final class Malloc {
        // struct mallinfo2: ten size_t, of which uordblks (in use in the arena) and hblkhd (in use, mmapped)
        private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(JAVA_LONG.withName("arena"),
                JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"), JAVA_LONG.withName("hblks"),
                JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"), JAVA_LONG.withName("fsmblks"),
                JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"), JAVA_LONG.withName("keepcost"));
        private static final MethodHandle FUNCTION = Linker.nativeLinker().defaultLookup().find("mallinfo2")
                .map(address -> Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(MALLINFO2)))
                .orElse(null);

        /** -1 without glibc 2.33 or later. */
        static long bytesInUse() {
            if (FUNCTION == null) {
                return -1;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment info = (MemorySegment) FUNCTION.invokeExact((SegmentAllocator) arena);
                return field(info, "uordblks") + field(info, "hblkhd");
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private static long field(MemorySegment info, String name) {
            return info.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement(name)));
        }
    }
}
