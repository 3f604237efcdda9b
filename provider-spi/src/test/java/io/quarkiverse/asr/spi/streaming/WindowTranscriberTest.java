package io.quarkiverse.asr.spi.streaming;

import static io.quarkiverse.asr.spi.streaming.Words.finalWords;
import static io.quarkiverse.asr.spi.streaming.Words.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

class WindowTranscriberTest {

    /** A file-transcribing provider whose "model" is {@link ToneSpeech}'s engine; it records what it is asked. */
    private static final class FileProvider implements AsrProvider {
        final List<TranscriptionOptions> options = new CopyOnWriteArrayList<>();
        final Function<float[], List<Segment>> model;

        FileProvider(Function<float[], List<Segment>> model) {
            this.model = model;
        }

        @Override
        public ProviderInfo info() {
            return new ProviderInfo("tones", "tones", Set.of(Capability.FILE_TRANSCRIPTION), Map.of());
        }

        @Override
        public Uni<Transcript> transcribe(AudioInput audio, TranscriptionOptions options) {
            return Uni.createFrom().item(() -> {
                this.options.add(options);
                float[] samples = audio.decode(WindowTranscriber.SAMPLE_RATE).samples();
                return Transcript.of("en", Duration.ofNanos(samples.length * 62_500L), model.apply(samples));
            });
        }

        @Override
        public Multi<TranscriptEvent> transcribe(Multi<AudioChunk> audio, StreamingOptions options) {
            return Multi.createFrom().failure(new UnsupportedFeatureException("no streaming"));
        }
    }

    @Test
    void aProviderThatTranscribesFilesWithWordTimesStreams() {
        FileProvider provider = new FileProvider(ToneSpeech::segments);
        TranscriptionOptions decoding = TranscriptionOptions.builder().language("en").beamSize(3).build();
        ToneSpeech speech = new ToneSpeech(3, 25, 0.5);
        float[] audio = speech.render(16000);
        List<AudioChunk> chunks = new ArrayList<>();
        for (int at = 0; at < audio.length; at += 4000) {
            chunks.add(new AudioChunk(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + 4000)), 16000));
        }
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            StreamingOptions options = StreamingOptions.builder().decoding(decoding)
                    .bufferTrimming(Duration.ofSeconds(4)).maxBuffer(Duration.ofSeconds(8)).build();
            List<TranscriptEvent> events = LiveTranscriber.transcribe(Multi.createFrom().iterable(chunks),
                    WindowTranscriber.of(provider, decoding), options, executor).collect().asList().await()
                    .atMost(Duration.ofMinutes(2));

            assertThat(texts(finalWords(events))).isEqualTo(texts(speech.words));
        } finally {
            executor.shutdownNow();
        }
        assertThat(provider.options).allSatisfy(o -> {
            assertThat(o.wordTimestamps()).contains(true);
            assertThat(o.language()).contains("en");
            assertThat(o.beamSize()).hasValue(3);
        });
        assertThat(provider.options).anySatisfy(o -> assertThat(o.initialPrompt()).isPresent());
    }

    @Test
    void segmentsWithoutWordsAreRefusedWithATypedError() {
        FileProvider provider = new FileProvider(samples -> List.of(new Segment(Duration.ZERO, Duration.ofSeconds(1),
                " hello", List.of(), List.of())));
        Uni<List<Segment>> window = WindowTranscriber.of(provider, TranscriptionOptions.defaults())
                .transcribe(new float[16000], "");
        assertThatThrownBy(() -> window.await().atMost(Duration.ofMinutes(1)))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("word timestamps");
    }
}
