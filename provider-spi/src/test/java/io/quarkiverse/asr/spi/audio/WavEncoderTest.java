package io.quarkiverse.asr.spi.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class WavEncoderTest {

    private final WavDecoder decoder = new WavDecoder();

    @Test
    void sixteenBitSpeechRoundTripsBitForBit() throws Exception {
        PcmAudio jfk = decoder.decode(Files.readAllBytes(SharedAudio.DIR.resolve("jfk.wav")));

        byte[] wav = WavEncoder.encode(jfk);

        assertThat(wav).hasSize(44 + jfk.samples().length * 2);
        PcmAudio again = decoder.decode(wav);
        assertThat(again.sampleRate()).isEqualTo(16_000);
        assertThat(again.samples()).containsExactly(jfk.samples());
    }

    @Test
    void samplesBeyondFullScaleAreClipped() {
        byte[] wav = WavEncoder.encode(new PcmAudio(new float[] { 1.5f, -1.5f, 1f, -1f, 0.5f }, 8_000));

        assertThat(decoder.decode(wav).samples())
                .containsExactly(32767 / 32768f, -1f, 32767 / 32768f, -1f, 0.5f);
    }

    @Test
    void silenceOfAnyRateIsAValidFile() {
        PcmAudio silence = decoder.decode(WavEncoder.encode(new PcmAudio(new float[44_100], 44_100)));
        assertThat(silence.duration()).hasSeconds(1);
        assertThat(silence.samples()).containsOnly(0f);
    }
}
