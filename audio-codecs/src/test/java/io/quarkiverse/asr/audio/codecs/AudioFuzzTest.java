package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.audio.AudioDecoder;
import io.quarkiverse.asr.spi.audio.AudioDecoding;
import io.quarkiverse.asr.spi.audio.AudioMemoryBudget;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.PcmOutput;
import io.quarkiverse.asr.spi.audio.WavDecoder;

/**
 * Jazzer fuzz targets, one per container or codec path: whatever the bytes, a decoder either returns audio that
 * is finite, within -1..1 and at a plausible rate, or refuses it with an {@link UnsupportedAudioException}, within
 * its limits and giving back every byte of its memory budget. Any other exception, a hang or an
 * {@link OutOfMemoryError} is a finding.
 * <p>
 * {@code ./mvnw verify} runs each target over its seeds (the build copies {@code ../shared/audio} there, see this
 * module's pom) and the findings kept in {@code src/test/resources/.../AudioFuzzTestInputs/<target>/}, then fuzzes
 * {@link #anyFormat} for {@value #SHORT_RUN}; fuzzing one of the others lasts {@value #LONG_RUN} (docs/testing.md).
 */
class AudioFuzzTest {

    /** How long the build fuzzes {@link #anyFormat}. */
    static final String SHORT_RUN = "10s";
    /** How long one of the other targets is fuzzed (docs/testing.md). */
    static final String LONG_RUN = "30m";

    /** Short enough that a slow input shows as a failure, long enough for the seeds on a busy machine. */
    private static final CodecLimits LIMITS = new CodecLimits(Duration.ofMinutes(30), Duration.ofSeconds(20));
    private static final AudioMemoryBudget BUDGET = new AudioMemoryBudget(256L << 20);
    /**
     * Decoders clamp to -1..1; resampled, full-scale input comes out up to the filter's L1 norm, below 3 (the first
     * fuzzing run found -1.34 from a mutated 8 kHz WAV; AudioFuzzTestInputs/anyFormat keeps a square wave like it).
     */
    private static final float RESAMPLED_PEAK = 3;

    /** Whatever decoder recognises the bytes, as an upload meets them: the target the build fuzzes, briefly. */
    @FuzzTest(maxDuration = SHORT_RUN)
    void anyFormat(byte[] data) {
        try {
            PcmAudio audio = AudioDecoding.decode(AudioInput.of(data, "fuzz"), 16000);
            assertThat(audio.sampleRate()).isEqualTo(16000);
            checkRange(audio, RESAMPLED_PEAK);
        } catch (UnsupportedAudioException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        assertThat(AudioMemoryBudget.global().used()).isZero();
    }

    @FuzzTest(maxDuration = LONG_RUN)
    void wav(byte[] data) {
        // at 16 kHz, so that the streaming resampler is fuzzed along
        decode(new WavDecoder(), data, 16000);
    }

    @FuzzTest(maxDuration = LONG_RUN)
    void mp3(byte[] data) {
        decode(new Mp3Decoder(LIMITS), data, 0);
    }

    @FuzzTest(maxDuration = LONG_RUN)
    void flac(byte[] data) {
        decode(new FlacDecoder(LIMITS), data, 0);
    }

    @FuzzTest(maxDuration = LONG_RUN)
    void ogg(byte[] data) {
        decode(new OggDecoder(LIMITS), data, 0);
    }

    @FuzzTest(maxDuration = LONG_RUN)
    void mp4(byte[] data) {
        decode(new Mp4Decoder(LIMITS), data, 0);
    }

    @FuzzTest(maxDuration = LONG_RUN)
    void adts(byte[] data) {
        decode(new AdtsDecoder(LIMITS), data, 0);
    }

    @FuzzTest(maxDuration = LONG_RUN)
    void matroska(byte[] data) {
        decode(new MatroskaDecoder(LIMITS), data, 0);
    }

    private static void decode(AudioDecoder decoder, byte[] data, int rate) {
        try (PcmOutput out = new PcmOutput(rate, () -> false, BUDGET, "fuzz")) {
            decoder.decode(data, out);
            PcmAudio audio = out.finish();
            assertThat(audio.sampleRate()).isBetween(1, 1_000_000);
            checkRange(audio, rate == 0 ? 1 : RESAMPLED_PEAK);
        } catch (UnsupportedAudioException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        assertThat(BUDGET.used()).isZero();
    }

    /** Samples finite and within {@code -peak..peak}; also false for NaN. */
    private static void checkRange(PcmAudio audio, float peak) {
        for (float sample : audio.samples()) {
            if (!(sample >= -peak && sample <= peak)) {
                throw new AssertionError("sample out of range: " + sample);
            }
        }
    }
}
