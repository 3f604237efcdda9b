package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.audio.AudioDecoding;
import io.quarkiverse.asr.spi.audio.PcmAudio;

/**
 * The module as applications use it: through the SPI's {@link AudioDecoding}, which finds these decoders with
 * the ServiceLoader and resamples their output to 16 kHz with the SPI's own resampler.
 */
class AudioDecodingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "formats/jfk.mp3,  11.0, 0.9995",
            "formats/jfk.flac, 11.0, 0.999999",
            "formats/jfk.ogg,  11.0, 0.997",
            "formats/jfk.m4a,  11.0, 0.9995",
            "formats/jfk.webm, 11.0, 0.997",
            // Opus recorded at 48 kHz, as by a browser's MediaRecorder: decoded at 48 kHz, resampled by the SPI
            "res:jfk4-48k-opus.webm, 4.0, 0.99",
    })
    void decodesTo16kHzThroughTheSpi(String file, double seconds, double minCorrelation) {
        byte[] data = HostileInputTest.load(file);
        PcmAudio pcm = AudioDecoding.decode(AudioInput.of(data, file), 16000);
        assertThat(pcm.sampleRate()).isEqualTo(16000);
        assertThat(pcm.samples().length / 16000.0).isCloseTo(seconds, within(0.01 * seconds));
        float[] ref = Arrays.copyOf(TestAudio.reference(), (int) (seconds * 16000));
        TestAudio.Alignment a = TestAudio.align(pcm.samples(), ref, 1600);
        System.out.printf("SPI %-24s correlation=%.6f lag=%d%n", file, a.correlation(), a.lag());
        assertThat(a.correlation()).isGreaterThanOrEqualTo(minCorrelation);
    }

    @Test
    void wavStaysWithTheBuiltInDecoder() {
        byte[] wav = TestAudio.read(TestAudio.audio("jfk.wav"));
        assertThat(AudioDecoding.decode(AudioInput.of(wav, "jfk.wav"), 16000).samples()).hasSize(176_000);
    }

    @Test
    void corruptCompressedAudioIsReportedWithTheFileName() {
        byte[] data = Arrays.copyOf(TestAudio.read(TestAudio.audio("formats/jfk.m4a")), 5000);
        assertThatThrownBy(() -> AudioDecoding.decode(AudioInput.of(data, "upload.m4a"), 16000))
                .isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining("upload.m4a")
                .hasMessageContaining("moov");
    }

    @Test
    void anUnknownFormatIsRefusedNamingTheFormatsUsersKnow() {
        byte[] text = "Dear customer, this is not audio.".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> AudioDecoding.decode(AudioInput.of(text, "note.txt"), 16000))
                .isInstanceOf(UnsupportedAudioException.class)
                .hasMessage("note.txt: unrecognised audio format; supported: WAV (PCM, float), MP3, FLAC, Ogg Opus/Vorbis,"
                        + " M4A/MP4 (AAC, Opus, MP3), AAC (ADTS), WebM/Matroska (Opus, Vorbis, AAC, MP3, FLAC)");
    }
}
