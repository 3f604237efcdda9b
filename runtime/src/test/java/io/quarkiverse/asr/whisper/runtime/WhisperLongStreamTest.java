package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.Multi;

/**
 * Ten minutes of speech (long-form.wav five times) streamed as fast as the engine takes it through the provider's own
 * live path ({@link WhisperAsrProvider#transcribe(Multi, StreamingOptions)}: one engine lease and one whisper state
 * for the whole stream), with the random-weight tiny model: the heap the stream retains stays flat over the ten
 * minutes while the audio received grows by 38 MB of samples, the stream ends with its whole duration, and its lease
 * is given back (a file transcription is admitted afterwards by an engine that takes one request at a time, with no
 * queue).
 * <p>
 * A whisper.cpp call costs about the same for any window (the encoder always sees 30 s), so the test keeps the calls
 * few: 28 s steps with LocalAgreement-1 confirm a whole window at once and cut it away, about twenty windows in all
 * (greedy fallbacks only, as the random weights' text always fails whisper's quality checks). The bound on each
 * window is {@code OnlineProcessorTest}'s.
 */
class WhisperLongStreamTest {

    private static final int RATE = WhisperAsrProvider.SAMPLE_RATE;
    private static final int MINUTES = 10;
    private static final int CHUNK = RATE / 2;
    /** Retained heap measured once this many chunks were asked for (a few windows, warmed up), then every so many. */
    private static final int WARM_UP_CHUNKS = 280;
    private static final int SAMPLE_EVERY_CHUNKS = 112;
    /** Far below the 38 MB of ten minutes of samples, and 20 times the 1.9 MB of a full buffer. */
    private static final long MAX_HEAP_GROWTH = 8L << 20;

    @Test
    void tenMinutesThroughTheProviderKeepFlatMemory() {
        float[] once = AudioInput.of(TestData.LONG_FORM).decode(RATE).samples();
        long total = (long) MINUTES * 60 * RATE;
        StreamingOptions options = StreamingOptions.builder()
                .decoding(TranscriptionOptions.builder().language("en").bestOf(1).build())
                .agreement(1).minChunk(Duration.ofSeconds(28)).bufferTrimming(Duration.ofSeconds(1))
                .maxBuffer(Duration.ofSeconds(30)).build();
        List<Long> heap = Collections.synchronizedList(new ArrayList<>());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        try (WhisperAsrProvider provider = WhisperAsrProvider.create(TestData.englishModel(),
                TestData.settings(1, 0, Optional.empty()))) {
            // chunks cut from the one copy as they are asked for: the source holds no ten minutes of audio
            Multi<AudioChunk> audio = Multi.createFrom().range(0, (int) (total / CHUNK)).map(i -> {
                if (i == WARM_UP_CHUNKS || i > WARM_UP_CHUNKS && i % SAMPLE_EVERY_CHUNKS == 0) {
                    System.gc();
                    heap.add(memory.getHeapMemoryUsage().getUsed());
                }
                float[] samples = new float[CHUNK];
                long start = (long) i * CHUNK;
                for (int k = 0; k < CHUNK; k++) {
                    samples[k] = once[(int) ((start + k) % once.length)];
                }
                return new AudioChunk(samples, RATE);
            });
            List<TranscriptEvent> events = provider.transcribe(audio, options).collect().asList()
                    .await().atMost(Duration.ofMinutes(5));

            assertThat(events.getLast()).isEqualTo(new TranscriptEvent.End(Duration.ofMinutes(MINUTES)));
            assertThat(provider.transcribe(AudioInput.ofSamples(new float[RATE], RATE), options.decoding())
                    .await().atMost(Duration.ofMinutes(5))).as("the stream's lease was given back").isNotNull();
        }
        System.gc();
        heap.add(memory.getHeapMemoryUsage().getUsed());
        System.out.printf("retained heap %s%n", heap);

        assertThat(heap).hasSizeGreaterThan(2);
        long start = heap.getFirst();
        assertThat(heap).allSatisfy(used -> assertThat(used - start).as("heap growth over %s", heap)
                .isLessThan(MAX_HEAP_GROWTH));
    }
}
