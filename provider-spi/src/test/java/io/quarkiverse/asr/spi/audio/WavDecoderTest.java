package io.quarkiverse.asr.spi.audio;

import static io.quarkiverse.asr.spi.audio.WavBytes.EXTENSIBLE;
import static io.quarkiverse.asr.spi.audio.WavBytes.FLOAT;
import static io.quarkiverse.asr.spi.audio.WavBytes.PCM;
import static io.quarkiverse.asr.spi.audio.WavBytes.ascii;
import static io.quarkiverse.asr.spi.audio.WavBytes.chunk;
import static io.quarkiverse.asr.spi.audio.WavBytes.concat;
import static io.quarkiverse.asr.spi.audio.WavBytes.extensible;
import static io.quarkiverse.asr.spi.audio.WavBytes.f32;
import static io.quarkiverse.asr.spi.audio.WavBytes.f64;
import static io.quarkiverse.asr.spi.audio.WavBytes.fmt;
import static io.quarkiverse.asr.spi.audio.WavBytes.header;
import static io.quarkiverse.asr.spi.audio.WavBytes.riff;
import static io.quarkiverse.asr.spi.audio.WavBytes.s16;
import static io.quarkiverse.asr.spi.audio.WavBytes.s24;
import static io.quarkiverse.asr.spi.audio.WavBytes.s32;
import static io.quarkiverse.asr.spi.audio.WavBytes.u32;
import static io.quarkiverse.asr.spi.audio.WavBytes.u8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.UnsupportedAudioException;

class WavDecoderTest {

    private static final byte[] FOUR_S16 = s16(-32768, 0, 32767, 16384);

    private final WavDecoder decoder = new WavDecoder();

    @Test
    void unsigned8Bit() {
        assertDecodes(riff(fmt(PCM, 1, 8000, 8), chunk("data", u8(0, 128, 255, 64, 192))),
                -1f, 0f, 127 / 128f, -0.5f, 0.5f);
    }

    @Test
    void signed16Bit() {
        assertDecodes(riff(fmt(PCM, 1, 16000, 16), chunk("data", FOUR_S16)), -1f, 0f, 32767 / 32768f, 0.5f);
    }

    /** The 16-bit mono fast path gives every sample value the general path gives, at any offset. */
    @Test
    void signed16BitMonoAsTheGeneralPath() {
        byte[] data = new byte[2 * 65536 + 1];
        for (int v = 0; v < 65536; v++) {
            data[1 + 2 * v] = (byte) v;
            data[2 + 2 * v] = (byte) (v >> 8);
        }
        float[] fast = new float[65536];
        float[] general = new float[65536];
        WavDecoder.s16Mono(data, 1, fast, fast.length);
        WavDecoder.toMono(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), 1, general,
                general.length, 1, WavDecoder.Encoding.S16);
        assertThat(fast).containsExactly(general);
        assertThat(fast[0x8000]).isEqualTo(-1f);
        assertThat(fast[0x7FFF]).isEqualTo(32767 / 32768f);
    }

    @Test
    void signed24Bit() {
        assertDecodes(riff(fmt(PCM, 1, 22050, 24), chunk("data", s24(-8388608, 0, 8388607, -4194304, 1))),
                -1f, 0f, 8388607 / 8388608f, -0.5f, 1 / 8388608f);
    }

    @Test
    void signed32Bit() {
        assertDecodes(riff(fmt(PCM, 1, 48000, 32), chunk("data", s32(Integer.MIN_VALUE, 0, 1 << 30, -(1 << 29)))),
                -1f, 0f, 0.5f, -0.25f);
    }

    @Test
    void float32KeepsValuesAndSilencesNonFiniteOnes() {
        assertDecodes(riff(fmt(FLOAT, 1, 48000, 32), chunk("data", f32(-1f, 0.25f, 1.5f, Float.NaN, 0.125f))),
                -1f, 0.25f, 1.5f, 0f, 0.125f);
    }

    @Test
    void float64() {
        assertDecodes(riff(fmt(FLOAT, 1, 96000, 64), chunk("data", f64(0.125, -0.75, Double.POSITIVE_INFINITY, 1e-3))),
                0.125f, -0.75f, 0f, 1e-3f);
    }

    @Test
    void extensiblePcmAndFloat() {
        assertDecodes(riff(extensible(PCM, 1, 16000, 24), chunk("data", s24(4194304, -8388608))), 0.5f, -1f);
        assertDecodes(riff(extensible(FLOAT, 1, 16000, 32), chunk("data", f32(0.5f, -0.25f))), 0.5f, -0.25f);
        assertDecodes(riff(extensible(PCM, 1, 16000, 16), chunk("data", FOUR_S16)), -1f, 0f, 32767 / 32768f, 0.5f);
    }

    @Test
    void channelsAreAveraged() {
        // stereo: left and right differ in every frame
        assertDecodes(riff(fmt(PCM, 2, 44100, 16), chunk("data", s16(16384, -16384, 32767, 32767, 8192, 0))),
                0f, 32767 / 32768f, 0.125f);
        // three float channels
        assertDecodes(riff(fmt(FLOAT, 3, 48000, 32), chunk("data", f32(0.5f, -0.25f, 0.5f, -0.75f, 0f, 0.375f))),
                0.25f, -0.125f);
        // 5.1 as extensible 24-bit: only one channel carries signal in the first frame, all six in the second
        assertDecodes(riff(extensible(PCM, 6, 48000, 24),
                chunk("data", s24(6 * 65536, 0, 0, 0, 0, 0,
                        65536, 2 * 65536, 3 * 65536, 4 * 65536, 5 * 65536, 6 * 65536))),
                65536 / 8388608f, 3.5f * 65536 / 8388608f);
    }

    @Test
    void chunksInAnyOrderWithOddPaddingAndUnknownChunksSkipped() {
        byte[] wav = riff(chunk("LIST", ascii("INFOISFT\3\0\0\0abc")), // odd size, padded
                chunk("data", FOUR_S16), chunk("bext", new byte[7]), chunk("fact", u32(4)),
                fmt(PCM, 1, 8000, 16));
        PcmAudio audio = assertDecodes(wav, -1f, 0f, 32767 / 32768f, 0.5f);
        assertThat(audio.sampleRate()).isEqualTo(8000);
    }

    @Test
    void streamedSizesUseTheWholeFramesPresent() {
        byte[] partialFrame = concat(FOUR_S16, new byte[] { 1 });
        // 0xFFFFFFFF everywhere, as ffmpeg writes to a pipe
        assertDecodes(concat(header("RIFF", 0xFFFF_FFFFL), fmt(PCM, 1, 16000, 16),
                chunk("data", 0xFFFF_FFFFL, partialFrame)), -1f, 0f, 32767 / 32768f, 0.5f);
        // sizes left at 0
        assertDecodes(concat(header("RIFF", 0), fmt(PCM, 1, 16000, 16), chunk("data", 0, partialFrame)),
                -1f, 0f, 32767 / 32768f, 0.5f);
        // a plain size that is too large
        assertDecodes(riff(fmt(PCM, 1, 16000, 16), chunk("data", 1000, FOUR_S16)), -1f, 0f, 32767 / 32768f, 0.5f);
    }

    @Test
    void anEmptyDataChunkFollowedByOtherChunksHasNoSamples() {
        assertThatThrownBy(() -> decoder.decode(riff(fmt(PCM, 1, 16000, 16), chunk("data", new byte[0]),
                chunk("LIST", new byte[8])))).isInstanceOf(UnsupportedAudioException.class).hasMessage("WAV: no samples");
    }

    @Test
    void rf64TakesTheDataSizeFromDs64() {
        byte[] ds64 = concat(u32(0), u32(0), u32(FOUR_S16.length), u32(0), u32(2), u32(0), u32(0));
        byte[] wav = concat(header("RF64", 0xFFFF_FFFFL), chunk("ds64", ds64), fmt(PCM, 1, 16000, 16),
                chunk("data", 0xFFFF_FFFFL, FOUR_S16), chunk("LIST", new byte[10]));
        assertThat(decoder.accepts(wav)).isTrue();
        assertDecodes(wav, -1f, 0f, 32767 / 32768f, 0.5f);
    }

    @Test
    void acceptsOnlyWaveForms() {
        assertThat(decoder.accepts(riff(fmt(PCM, 1, 16000, 16)))).isTrue();
        assertThat(decoder.accepts(concat(ascii("RIFF"), u32(4), ascii("AVI ")))).isFalse();
        assertThat(decoder.accepts(ascii("RIFF"))).isFalse();
        assertThat(decoder.accepts(ascii("fLaC\0\0\0\"\0\0\0\0"))).isFalse();
    }

    @Test
    void malformedInputIsReportedWithTheReason() {
        byte[] data = chunk("data", FOUR_S16);
        assertRejected(new byte[5], "too short");
        assertRejected(concat(ascii("RIFX"), u32(4), ascii("WAVE")), "not a WAV file");
        assertRejected(riff(data), "no fmt chunk");
        assertRejected(riff(fmt(PCM, 1, 16000, 16)), "no data chunk");
        assertRejected(riff(fmt(PCM, 2, 16000, 16, 2), data), "block align 2 does not match 2 channel(s) of 2 byte(s)");
        assertRejected(riff(fmt(6, 1, 8000, 8), data), "A-law (format tag 0x0006)");
        assertRejected(riff(fmt(2, 1, 8000, 4, 256), data), "Microsoft ADPCM (format tag 0x0002)");
        assertRejected(riff(fmt(0x1234, 1, 8000, 16), data), "unsupported WAV codec: format tag 0x1234");
        assertRejected(riff(fmt(PCM, 0, 16000, 16, 0), data), "zero channels");
        assertRejected(riff(fmt(PCM, 1, 0, 16), data), "sample rate 0 Hz");
        assertRejected(riff(fmt(PCM, 1, 5_000_000, 16), data), "sample rate 5000000 Hz");
        assertRejected(riff(fmt(PCM, 1, -1, 16), data), "sample rate 4294967295 Hz");
        assertRejected(riff(fmt(PCM, 1, 16000, 12, 2), data), "PCM sample size: 12 bits");
        assertRejected(riff(fmt(FLOAT, 1, 16000, 16), data), "float sample size: 16 bits");
        assertRejected(riff(chunk("fmt ", new byte[14]), data), "fmt chunk too short: 14 bytes");
        assertRejected(concat(header("RIFF", 100), chunk("fmt ", 16, new byte[10])), "fmt chunk truncated");
        assertRejected(riff(chunk("fmt ", concat(s16(EXTENSIBLE, 1), u32(16000), u32(32000), s16(2, 16))), data),
                "WAVE_FORMAT_EXTENSIBLE fmt chunk too short");
        byte[] foreignGuid = extensible(PCM, 1, 16000, 16);
        foreignGuid[8 + 30] = 0x7F;
        assertRejected(riff(foreignGuid, data), "sub-format GUID");
    }

    @Test
    void truncatedAndCorruptedFilesFailOnlyWithUnsupportedAudioException() throws IOException {
        List<byte[]> seeds = List.of(
                Arrays.copyOf(Files.readAllBytes(SharedAudio.DIR.resolve("formats/jfk-22k-s24.wav")), 1500),
                Arrays.copyOf(Files.readAllBytes(SharedAudio.DIR.resolve("jfk.wav")), 1500),
                riff(chunk("LIST", new byte[3]), extensible(FLOAT, 2, 44100, 32),
                        chunk("data", f32(0.5f, -0.5f, 1f, 0f))));
        Random random = new Random(20_240_601);
        for (int i = 0; i < 6000; i++) {
            byte[] seed = seeds.get(i % seeds.size());
            byte[] bytes = Arrays.copyOf(seed, random.nextInt(4) == 0 ? random.nextInt(seed.length + 1) : seed.length);
            for (int flips = random.nextInt(5); flips > 0 && bytes.length > 0; flips--) {
                // mostly the header, where every byte matters
                int at = random.nextInt(random.nextBoolean() ? Math.min(bytes.length, 80) : bytes.length);
                bytes[at] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            try {
                PcmAudio audio = decoder.decode(bytes);
                for (float sample : audio.samples()) {
                    assertThat(sample).isFinite();
                }
            } catch (UnsupportedAudioException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException | Error e) {
                fail("iteration " + i + ": " + Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 96))), e);
            }
        }
    }

    private PcmAudio assertDecodes(byte[] wav, float... expected) {
        PcmAudio audio = decoder.decode(wav);
        assertThat(audio.samples()).containsExactly(expected);
        return audio;
    }

    private void assertRejected(byte[] wav, String reason) {
        assertThatThrownBy(() -> decoder.decode(wav)).isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining(reason);
    }
}
