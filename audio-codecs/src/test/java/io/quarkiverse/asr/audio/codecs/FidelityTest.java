package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkiverse.asr.spi.audio.AudioDecoder;
import io.quarkiverse.asr.spi.audio.PcmAudio;

/**
 * The same speech in every compressed format decodes to the reference: same duration, same waveform after
 * alignment. The bounds sit a little under the values measured (printed as FIDELITY lines, and listed in
 * docs/audio-formats.md). Every output here is at 16 kHz, the rate of the source, so no resampling is
 * involved in the comparison.
 */
class FidelityTest {

    private static float[] reference;

    @BeforeAll
    static void loadReference() {
        reference = TestAudio.reference();
        assertThat(reference).hasSize(176_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // file, decoder, min correlation
            "jfk.mp3,  Mp3Decoder,      0.9995",
            "jfk.flac, FlacDecoder,     0.999999",
            "jfk.ogg,  OggDecoder,      0.997",
            "jfk.m4a,  Mp4Decoder,      0.9995",
            "jfk.webm, MatroskaDecoder, 0.997",
    })
    void sharedFormats(String file, String decoder, double minCorrelation) {
        byte[] data = TestAudio.read(TestAudio.audio("formats/" + file));
        check(file, data, decoder, minCorrelation, reference);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // small files encoded at low bit rates (Vorbis q0, AAC 32 kbit/s, Opus 24 kbit/s, MP3 32 kbit/s)
            "jfk4-vorbis.ogg,      OggDecoder,      0.985, 4.0",
            "jfk4-vorbis.webm,     MatroskaDecoder, 0.985, 4.0",
            "jfk4-fragmented.m4a,  Mp4Decoder,      0.995, 4.0",
            "jfk4.aac,             AdtsDecoder,     0.995, 4.0",
            "jfk4-opus.mp4,        Mp4Decoder,      0.995, 4.0",
            "jfk4-mp3.mka,         MatroskaDecoder, 0.995, 4.0",
            "jfk1.5-flac.mka,      MatroskaDecoder, 0.999999, 1.5",
    })
    void moreContainers(String file, String decoder, double minCorrelation, double seconds) {
        byte[] data = TestAudio.resource(file);
        check(file, data, decoder, minCorrelation, Arrays.copyOf(reference, (int) (seconds * 16000)));
    }

    private static void check(String file, byte[] data, String decoderName, double minCorrelation, float[] ref) {
        List<AudioDecoder> accepting = TestAudio.accepting(data);
        assertThat(accepting).as("decoders accepting %s", file).hasSize(1);
        AudioDecoder decoder = accepting.get(0);
        assertThat(decoder.getClass().getSimpleName()).isEqualTo(decoderName);

        PcmAudio pcm = decoder.decode(data);
        assertThat(pcm.sampleRate()).isEqualTo(16000);
        float[] x = pcm.samples();
        double duration = x.length / 16000.0;
        double refDuration = ref.length / 16000.0;
        // lossy codecs work in frames; containers without gapless info keep up to one frame of padding
        assertThat(duration).as("duration of %s", file).isCloseTo(refDuration, within(Math.max(0.01 * refDuration, 0.11)));

        TestAudio.Alignment a = TestAudio.align(x, ref, 1600); // ±100 ms
        float maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            int j = i - a.lag();
            if (j >= 0 && j < x.length) {
                maxDiff = Math.max(maxDiff, Math.abs(x[j] - ref[i]));
            }
        }
        System.out.printf("FIDELITY %-20s %-16s rate=%d duration=%.3fs (reference %.3fs) correlation=%.6f lag=%d maxAbsDiff=%.5f%n",
                file, decoder.getClass().getSimpleName(), pcm.sampleRate(), duration, refDuration, a.correlation(), a.lag(),
                maxDiff);
        assertThat(a.correlation()).as("correlation of %s with the reference", file).isGreaterThanOrEqualTo(minCorrelation);
        if (minCorrelation > 0.99999) {
            // lossless: the very samples of the reference
            assertThat(a.lag()).isZero();
            assertThat(maxDiff).isLessThan(1e-6f);
        }
    }
}
