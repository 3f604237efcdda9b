package io.quarkiverse.asr.spi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.AudioTooLargeException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.OverloadedException;

class PcmOutputTest {

    private static final long MIB = 1 << 20;

    /** The 44.1 kHz stereo variant of jfk.wav, decoded block by block, is exactly the whole decode resampled at once. */
    @Test
    void streamingDecodeEqualsDecodingWholeThenResampling() throws IOException {
        byte[] wav = Files.readAllBytes(SharedAudio.DIR.resolve("formats/jfk-44k1-stereo.wav"));
        PcmAudio whole = new WavDecoder().decode(wav);
        float[] expected = Resampler.resample(whole.samples(), whole.sampleRate(), 16000);

        PcmAudio streamed = AudioDecoding.decode(AudioInput.of(wav, "jfk"), 16000);

        assertThat(whole.sampleRate()).isEqualTo(44100);
        assertThat(streamed.sampleRate()).isEqualTo(16000);
        assertThat(streamed.samples()).containsExactly(expected);
        assertThat(AudioMemoryBudget.global().used()).isZero();
    }

    @Test
    void theDeclaredLengthIsReservedBeforeAnySampleAndGivenBackAtTheEnd() {
        AudioMemoryBudget budget = new AudioMemoryBudget(64 * MIB);
        try (PcmOutput out = new PcmOutput(16000, () -> false, budget, "declared")) {
            out.start(48000);
            out.expect(48000L * 60); // a minute: 960 000 samples at 16 kHz
            assertThat(budget.used()).isEqualTo(960_000L * Float.BYTES);
            out.write(new float[48000], 0, 48000);
            assertThat(out.finish().samples()).hasSize(16000);
            assertThat(budget.used()).isZero();
        }
    }

    @Test
    void audioLargerThanTheWholeBudgetIsRefusedUpFrontAsTooLarge() {
        AudioMemoryBudget budget = new AudioMemoryBudget(16 * MIB);
        try (PcmOutput out = new PcmOutput(16000, () -> false, budget, "bomb.flac")) {
            out.start(96000);
            assertThatThrownBy(() -> out.expect(96000L * 3600 * 2))
                    .isInstanceOf(AudioTooLargeException.class)
                    .hasMessageContaining("bomb.flac").hasMessageContaining("440 MiB")
                    .hasMessageContaining(AudioMemoryBudget.PROPERTY);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void audioThatFitsOnlyOnceOthersFinishIsRefusedAsOverloadUntilThen() {
        AudioMemoryBudget budget = new AudioMemoryBudget(8 * MIB);
        PcmOutput first = new PcmOutput(0, () -> false, budget, "first");
        first.start(16000);
        first.expect(1_500_000); // 5.7 MiB
        try (PcmOutput second = new PcmOutput(0, () -> false, budget, "second")) {
            second.start(16000);
            assertThatThrownBy(() -> second.expect(1_500_000))
                    .isInstanceOf(OverloadedException.class)
                    .satisfies(e -> assertThat(((OverloadedException) e).retryAfter()).isPresent())
                    .hasMessageContaining("second");
            first.close();
            second.expect(1_500_000);
            assertThat(budget.used()).isEqualTo(6_000_000);
        }
        assertThat(budget.used()).isZero();
    }

    /** Growing without a declared length draws on the budget as it goes, and fails the same way. */
    @Test
    void undeclaredAudioIsChargedAsItGrows() {
        AudioMemoryBudget budget = new AudioMemoryBudget(MIB);
        try (PcmOutput out = new PcmOutput(0, () -> false, budget, "endless")) {
            out.start(16000);
            float[] block = new float[16000];
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    out.write(block, 0, block.length);
                    assertThat(budget.used()).isBetween(16000L * (i + 1) * Float.BYTES, MIB);
                }
            }).isInstanceOf(AudioTooLargeException.class);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void aCancelledDecodeStopsAtTheNextWrite() {
        AtomicBoolean cancelled = new AtomicBoolean();
        try (PcmOutput out = new PcmOutput(16000, cancelled::get, new AudioMemoryBudget(MIB), "left")) {
            out.start(44100);
            out.write(new float[4410], 0, 4410);
            out.checkCancelled();
            cancelled.set(true);
            assertThatThrownBy(() -> out.write(new float[4410], 0, 4410)).isInstanceOf(CancelledException.class)
                    .hasMessage("left: decoding was cancelled");
            assertThatThrownBy(out::checkCancelled).isInstanceOf(CancelledException.class);
        }
    }

    @Test
    void sizesParseWithBinarySuffixes() {
        assertThat(AudioMemoryBudget.parseSize("1048576")).isEqualTo(MIB);
        assertThat(AudioMemoryBudget.parseSize("512k")).isEqualTo(512 * 1024L);
        assertThat(AudioMemoryBudget.parseSize(" 64M ")).isEqualTo(64 * MIB);
        assertThat(AudioMemoryBudget.parseSize("2g")).isEqualTo(2048 * MIB);
        assertThat(AudioMemoryBudget.parseSize("0")).isNull();
        assertThat(AudioMemoryBudget.parseSize("-5m")).isNull();
        assertThat(AudioMemoryBudget.parseSize("lots")).isNull();
        assertThat(AudioMemoryBudget.parseSize("")).isNull();
    }
}
