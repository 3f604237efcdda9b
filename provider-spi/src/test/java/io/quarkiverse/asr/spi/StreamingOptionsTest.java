package io.quarkiverse.asr.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class StreamingOptionsTest {

    @Test
    void defaultsAreThoseOfWhisperStreaming() {
        StreamingOptions options = StreamingOptions.defaults();
        assertThat(options.minChunk()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.agreement()).isEqualTo(2);
        assertThat(options.trimming()).isEqualTo(StreamingOptions.Trimming.SEGMENT);
        assertThat(options.bufferTrimming()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.maxBuffer()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.vad()).isFalse();
        assertThat(options.vadSilence()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.decoding()).isSameAs(TranscriptionOptions.defaults());
    }

    @Test
    void aBuilderStartsFromExistingOptions() {
        StreamingOptions options = StreamingOptions.builder().agreement(3).minChunk(Duration.ofMillis(500)).build()
                .toBuilder().trimming(StreamingOptions.Trimming.SENTENCE).build();
        assertThat(options.agreement()).isEqualTo(3);
        assertThat(options.minChunk()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.trimming()).isEqualTo(StreamingOptions.Trimming.SENTENCE);
    }

    @Test
    void valuesOutOfRangeAndInconsistentBoundsAreRefused() {
        StreamingOptions.Builder b = StreamingOptions.builder();
        assertThatThrownBy(() -> b.agreement(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.minChunk(Duration.ofMillis(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.minChunk(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.bufferTrimming(Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.vadSilence(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamingOptions.builder().bufferTrimming(Duration.ofSeconds(29)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bufferTrimming + minChunk");
    }
}
