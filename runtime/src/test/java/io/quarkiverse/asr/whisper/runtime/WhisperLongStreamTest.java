package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.streaming.LiveTranscriber;
import io.quarkiverse.asr.spi.streaming.WindowTranscriber;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Ten minutes of speech (long-form.wav five times) streamed as fast as the engine takes it through the real library,
 * with the random-weight tiny model. Each window goes through the provider as a file transcription, so that the test
 * sees every window the processor hands out: none is longer than {@code maxBuffer}, and the heap the stream retains
 * stays flat over the ten minutes while the audio received grows by 38 MB of samples.
 * <p>
 * A whisper.cpp call costs about the same for any window (the encoder always sees 30 s), so the test keeps the calls
 * few: 28 s steps with LocalAgreement-1 confirm a whole window at once and cut it away, about twenty windows in all
 * (greedy fallbacks only, as the random weights' text always fails whisper's quality checks).
 */
class WhisperLongStreamTest {

    private static final int RATE = WhisperAsrProvider.SAMPLE_RATE;
    private static final int MINUTES = 10;
    private static final Duration MAX_BUFFER = Duration.ofSeconds(30);
    /** Retained heap measured after this many windows (warmed up), and after the last. */
    private static final int WARM_UP_WINDOWS = 5;
    /** Far below the 38 MB of ten minutes of samples, and 20 times the 1.9 MB of a full buffer. */
    private static final long MAX_HEAP_GROWTH = 8L << 20;

    @Test
    void tenMinutesKeepABoundedBufferAndFlatMemory() {
        float[] once = AudioInput.of(TestData.LONG_FORM).decode(RATE).samples();
        long total = (long) MINUTES * 60 * RATE;
        int chunk = RATE / 2;
        StreamingOptions options = StreamingOptions.builder()
                .decoding(TranscriptionOptions.builder().language("en").bestOf(1).build())
                .agreement(1).minChunk(Duration.ofSeconds(28)).bufferTrimming(Duration.ofSeconds(1)).maxBuffer(MAX_BUFFER)
                .build();
        List<Integer> windows = Collections.synchronizedList(new ArrayList<>());
        List<Long> heap = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        try (WhisperAsrProvider provider = WhisperAsrProvider.create(TestData.englishModel(),
                TestData.settings(1, 1, Optional.empty()))) {
            WindowTranscriber real = WindowTranscriber.of(provider, options.decoding());
            WindowTranscriber watched = (samples, prompt) -> {
                windows.add(samples.length);
                int call = calls.incrementAndGet();
                if (call == WARM_UP_WINDOWS || call % 10 == 0) {
                    System.gc();
                    heap.add(memory.getHeapMemoryUsage().getUsed());
                }
                return real.transcribe(samples, prompt);
            };
            // chunks cut from the one copy as they are asked for: the source holds no ten minutes of audio
            Multi<AudioChunk> audio = Multi.createFrom().range(0, (int) (total / chunk)).map(i -> {
                float[] samples = new float[chunk];
                long start = (long) i * chunk;
                for (int k = 0; k < chunk; k++) {
                    samples[k] = once[(int) ((start + k) % once.length)];
                }
                return new AudioChunk(samples, RATE);
            });
            List<TranscriptEvent> events = LiveTranscriber.transcribe(audio, watched, options,
                    Infrastructure.getDefaultExecutor()).collect().asList().await().atMost(Duration.ofMinutes(5));

            assertThat(events.getLast()).isEqualTo(new TranscriptEvent.End(Duration.ofMinutes(MINUTES)));
        }
        System.gc();
        heap.add(memory.getHeapMemoryUsage().getUsed());
        System.out.printf("%d windows, longest %.1f s; retained heap %s%n", windows.size(),
                windows.stream().mapToInt(Integer::intValue).max().orElse(0) / (double) RATE, heap);

        assertThat(windows).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo((int) MAX_BUFFER.toSeconds() * RATE));
        assertThat(heap).hasSizeGreaterThan(2);
        long start = heap.getFirst();
        assertThat(heap).allSatisfy(used -> assertThat(used - start).as("heap growth over %s", heap)
                .isLessThan(MAX_HEAP_GROWTH));
    }
}
