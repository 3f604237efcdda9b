package io.quarkiverse.asr.spi.audio;

import static io.quarkiverse.asr.spi.audio.WavBytes.PCM;
import static io.quarkiverse.asr.spi.audio.WavBytes.ascii;
import static io.quarkiverse.asr.spi.audio.WavBytes.chunk;
import static io.quarkiverse.asr.spi.audio.WavBytes.concat;
import static io.quarkiverse.asr.spi.audio.WavBytes.fmt;
import static io.quarkiverse.asr.spi.audio.WavBytes.riff;
import static io.quarkiverse.asr.spi.audio.WavBytes.s16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.UnsupportedAudioException;

class AudioDecodingTest {

    private static final int RATE = 16000;
    private static final int MAX_LAG = RATE / 50; // 20 ms

    /**
     * Every WAV variant of jfk.wav decodes to the same 16 kHz signal as jfk.wav itself, without delay. The bounds are
     * what this decoder and resampler achieve, with some margin: the variants were made from jfk.wav, so only
     * rounding separates them (measured 1 - 2.7e-8). The 8 kHz variant lost everything above 4 kHz, 0.007 % of
     * jfk.wav's energy (measured 1 - 7.1e-5); against a reference band-limited by passing it through 8 kHz
     * ({@code referenceRate}) only the two resamplers' different transition bands remain (measured 1 - 8.8e-7).
     */
    @ParameterizedTest
    @CsvSource({
            "jfk.wav,                     16000, 1.0",
            "formats/jfk-22k-s24.wav,     16000, 0.999999",
            "formats/jfk-44k1-stereo.wav, 16000, 0.999999",
            "formats/jfk-48k-f32.wav,     16000, 0.999999",
            "formats/jfk-8k.wav,          16000, 0.9999",
            "formats/jfk-8k.wav,          8000,  0.99999" })
    void everyWavVariantOfJfkDecodesToTheSameSignal(String file, int referenceRate, double minCorrelation) {
        PcmAudio jfk = AudioInput.of(SharedAudio.DIR.resolve("jfk.wav")).decode(referenceRate);
        float[] reference = AudioInput.ofSamples(jfk.samples(), referenceRate).decode(RATE).samples();
        PcmAudio audio = AudioInput.of(SharedAudio.DIR.resolve(file)).decode(RATE);

        assertThat(audio.sampleRate()).isEqualTo(RATE);
        assertThat((double) audio.samples().length).isCloseTo(reference.length, within(reference.length * 0.01));
        Alignment alignment = Alignment.best(reference, audio.samples());
        assertThat(alignment.correlation).isGreaterThanOrEqualTo(minCorrelation);
        assertThat(alignment.lag).isZero();
    }

    /** The JDK's own WAV reader serves as the reference for the plain 16-bit files. */
    @ParameterizedTest
    @MethodSource("sharedWavs")
    void everySharedWavDecodesLikeTheJdkReadsIt(Path wav) throws IOException, UnsupportedAudioFileException {
        float[] expected;
        int rate;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat format = in.getFormat();
            assertThat(format.getSampleSizeInBits()).isEqualTo(16);
            assertThat(format.getChannels()).isEqualTo(1);
            rate = (int) format.getSampleRate();
            ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            expected = new float[bytes.capacity() / 2];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = bytes.getShort() / 32768f;
            }
        }

        PcmAudio decoded = new WavDecoder().decode(Files.readAllBytes(wav));
        assertThat(decoded.sampleRate()).isEqualTo(rate);
        // Arrays.mismatch, as AssertJ's containsExactly takes minutes on a two-minute recording
        assertThat(Arrays.mismatch(decoded.samples(), expected)).isEqualTo(-1);

        PcmAudio audio = AudioInput.of(wav).decode(RATE);
        assertThat(audio.samples().length).isEqualTo(Math.round((double) expected.length * RATE / rate));
    }

    /** The plain recordings: {@code formats/} folders hold other sample formats on purpose. */
    static List<Path> sharedWavs() throws IOException {
        List<Path> wavs = new ArrayList<>();
        for (String dir : List.of("real", "synthetic")) {
            try (Stream<Path> files = Files.walk(SharedAudio.DIR.resolve(dir))) {
                files.filter(p -> p.toString().endsWith(".wav"))
                        .filter(p -> !p.getParent().getFileName().toString().equals("formats"))
                        .sorted().forEach(wavs::add);
            }
        }
        return wavs;
    }

    @Test
    void rawPcmReadsWholeFramesAndAveragesChannels() throws IOException {
        byte[] goForward = Files.readAllBytes(SharedAudio.DIR.resolve("real/pocketsphinx-misc/goforward.raw"));
        PcmAudio raw = AudioDecoding.fromS16le(goForward, RATE, 1);
        assertThat(raw.samples()).hasSize(44_580);
        assertThat(raw.duration().toMillis()).isEqualTo(2786);

        assertThat(AudioDecoding.fromS16le(concat(s16(16384, 0, -32768, 32767), new byte[3]), 8000, 2).samples())
                .containsExactly(0.25f, -1f / 65536);
        assertThatThrownBy(() -> AudioDecoding.fromS16le(new byte[4], 16000, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioDecoding.fromS16le(new byte[4], 10, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplesAtTheRequestedRateAreNotCopied() {
        float[] samples = { 0.1f, 0.2f };
        assertThat(AudioInput.ofSamples(samples, RATE).decode(RATE).samples()).isSameAs(samples);
        assertThat(AudioInput.ofSamples(new float[48000], 48000).decode(RATE).samples()).hasSize(RATE);
        assertThatThrownBy(() -> AudioInput.ofSamples(samples, RATE).decode(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreadableFilesAreNamed() {
        Path missing = SharedAudio.DIR.resolve("no-such-file.wav");
        assertThatThrownBy(() -> AudioInput.of(missing).decode(RATE)).isInstanceOf(UnsupportedAudioException.class)
                .hasMessage("audio file not found: " + missing);
        assertThatThrownBy(() -> AudioInput.of(SharedAudio.DIR).decode(RATE))
                .isInstanceOf(UnsupportedAudioException.class)
                .hasMessageStartingWith("cannot read audio file " + SharedAudio.DIR);
    }

    @Test
    void failuresNameTheInput() {
        assertThatThrownBy(() -> AudioInput.of(riff(fmt(PCM, 1, RATE, 16)), "upload.wav").decode(RATE))
                .isInstanceOf(UnsupportedAudioException.class).hasMessage("upload.wav: no data chunk in WAV file");
        assertThatThrownBy(() -> AudioInput.of(riff(fmt(PCM, 1, RATE, 16), chunk("data", new byte[0])), "empty.wav")
                .decode(RATE)).isInstanceOf(UnsupportedAudioException.class).hasMessage("empty.wav: no samples");
        assertThatThrownBy(() -> AudioInput.of(new byte[0], "nothing.wav").decode(RATE))
                .isInstanceOf(UnsupportedAudioException.class).hasMessage("nothing.wav: no samples (empty input)");
        assertThatThrownBy(() -> AudioInput.ofSamples(new float[0], RATE).decode(RATE))
                .isInstanceOf(UnsupportedAudioException.class).hasMessage("samples@16000Hz: no samples");
    }

    @Test
    void unknownFormatsListWhatIsSupported() {
        assertThatThrownBy(() -> AudioInput.of(ascii("Dear customer, this is not audio."), "note.txt").decode(RATE))
                .isInstanceOf(UnsupportedAudioException.class)
                .hasMessage("note.txt: unrecognised audio format; supported: WAV (PCM, float), MagicDecoder");
    }

    @Test
    void commonFormatsWithoutADecoderAreNamed() {
        byte[] ogg = concat(ascii("OggS"), new byte[60]);
        // holds until an Ogg decoder joins this module's class path
        boolean oggDecoderInstalled = ServiceLoader.load(AudioDecoder.class).stream()
                .anyMatch(p -> p.get().accepts(ogg));
        if (!oggDecoderInstalled) {
            assertThatThrownBy(() -> AudioInput.of(ogg, "a.ogg").decode(RATE))
                    .isInstanceOf(UnsupportedAudioException.class).hasMessageStartingWith(
                            "a.ogg: unrecognised audio format (looks like Ogg, for which no decoder is installed)");
        }
    }

    @Test
    void serviceLoaderDecodersAreUsedAndTheirCrashesReportedAsBadAudio() {
        PcmAudio audio = AudioInput.of(concat(MagicDecoder.MAGIC, new byte[4]), "x.magic").decode(8000);
        assertThat(audio.samples()).containsExactly(0.25f, 0.25f, 0.25f, 0.25f);
        assertThat(AudioInput.of(concat(MagicDecoder.MAGIC, new byte[4]), "x.magic").decode(RATE).samples()).hasSize(8);

        assertThatThrownBy(() -> AudioInput.of(concat(MagicDecoder.MAGIC, ascii("!")), "bad.magic").decode(RATE))
                .isInstanceOf(UnsupportedAudioException.class).hasCauseInstanceOf(ArrayIndexOutOfBoundsException.class)
                .hasMessageStartingWith("bad.magic: " + MagicDecoder.class.getName() + " failed");
    }

    @Test
    void decodersAreFoundThroughTheContextClassLoaderAndBrokenOnesSkipped(@TempDir Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.write(services.resolve(AudioDecoder.class.getName()),
                List.of("does.not.Exist", ContextDecoder.class.getName()));
        AudioInput input = AudioInput.of(ascii("CTXT...."), "x.ctxt");
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        URL[] path = { dir.toUri().toURL() };
        try (URLClassLoader application = new URLClassLoader(path, getClass().getClassLoader())) {
            thread.setContextClassLoader(application);
            assertThat(input.decode(RATE).samples()).containsExactly(0.5f);
            assertThat(AudioInput.of(concat(MagicDecoder.MAGIC, new byte[2]), "x.magic").decode(8000).samples())
                    .hasSize(2);
        } finally {
            thread.setContextClassLoader(original);
        }
        assertThatThrownBy(() -> input.decode(RATE)).isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining("unrecognised audio format");
    }

    private record Alignment(int lag, double correlation) {

        /** The lag within ±20 ms with the highest normalised cross-correlation over the overlapping samples. */
        static Alignment best(float[] reference, float[] signal) {
            Alignment best = new Alignment(0, -1);
            for (int lag = -MAX_LAG; lag <= MAX_LAG; lag++) {
                double rs = 0;
                double rr = 0;
                double ss = 0;
                for (int i = Math.max(0, -lag); i < reference.length && i + lag < signal.length; i++) {
                    double r = reference[i];
                    double s = signal[i + lag];
                    rs += r * s;
                    rr += r * r;
                    ss += s * s;
                }
                double correlation = rs / Math.sqrt(rr * ss);
                if (correlation > best.correlation) {
                    best = new Alignment(lag, correlation);
                }
            }
            return best;
        }
    }
}
