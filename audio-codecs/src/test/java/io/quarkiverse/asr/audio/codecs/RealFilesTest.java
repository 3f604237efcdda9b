package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.asr.spi.audio.AudioDecoder;
import io.quarkiverse.asr.spi.audio.PcmAudio;

/**
 * Every compressed file of real recorded speech (FLAC, MP3, Ogg Opus) decodes to non-silent audio of the
 * duration and loudness a reference decoder gives (real-reference.tsv, measured with FFmpeg while developing).
 * Some FLEURS clips are very quiet (peaks near -50 dBFS): that is the recording, the reference agrees.
 */
class RealFilesTest {

    /** path: {seconds, rms} */
    private static final Map<String, double[]> EXPECTED = new HashMap<>();

    static {
        String tsv = new String(TestAudio.resource("real-reference.tsv"), StandardCharsets.UTF_8);
        for (String line : tsv.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t");
                EXPECTED.put(f[0], new double[] { Double.parseDouble(f[1].trim()), Double.parseDouble(f[2].trim()) });
            }
        }
    }

    static Stream<String> compressedFiles() throws IOException {
        Path real = TestAudio.audio("real");
        try (Stream<Path> files = Files.walk(real)) {
            List<String> list = files.filter(Files::isRegularFile)
                    .map(p -> real.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(".flac") || n.endsWith(".mp3") || n.endsWith(".ogg") || n.endsWith(".opus")
                            || n.endsWith(".m4a") || n.endsWith(".webm") || n.endsWith(".aac"))
                    .sorted()
                    .toList();
            assertThat(list).hasSizeGreaterThanOrEqualTo(50);
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressedFiles")
    void decodes(String file) {
        byte[] data = TestAudio.read(TestAudio.audio("real/" + file));
        List<AudioDecoder> accepting = TestAudio.accepting(data);
        assertThat(accepting).as("decoders accepting %s", file).hasSize(1);

        PcmAudio pcm = accepting.get(0).decode(data);
        double seconds = pcm.samples().length / (double) pcm.sampleRate();
        assertThat(pcm.sampleRate()).isIn(8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000);
        double rms = TestAudio.rms(pcm.samples());
        assertThat(rms).as("rms of %s", file).isGreaterThan(1e-4);
        assertThat(TestAudio.peak(pcm.samples())).as("peak of %s", file).isGreaterThan(0.002f);
        double[] expected = EXPECTED.get(file);
        if (expected != null) {
            assertThat(seconds).as("duration of %s", file).isCloseTo(expected[0], within(Math.max(0.05, expected[0] * 0.01)));
            assertThat(rms).as("rms of %s", file).isCloseTo(expected[1], within(expected[1] * 0.1));
        } else {
            assertThat(seconds).as("duration of %s (not in real-reference.tsv)", file).isBetween(0.5, 600.0);
        }
    }
}
