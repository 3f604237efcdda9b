package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.asr.spi.audio.PcmAudio;

/**
 * The FLAC decoder is exact: for every FLAC file at hand, the MD5 of the decoded samples equals the signature
 * the encoder stored in STREAMINFO. The files cover mono and stereo (with inter-channel decorrelation), 6
 * channels, 16 and 24 bits, 8 to 44.1 kHz, fixed and LPC predictors up to the highest compression level, and
 * wasted bits.
 */
class FlacTest {

    static Stream<String> flacFiles() throws IOException {
        List<String> files = new ArrayList<>();
        files.add("formats/jfk.flac");
        try (Stream<Path> real = Files.walk(TestAudio.audio("real"))) {
            real.filter(p -> p.toString().endsWith(".flac"))
                    .map(p -> "real/" + TestAudio.audio("real").relativize(p).toString().replace('\\', '/'))
                    .sorted().forEach(files::add);
        }
        for (String r : new String[] { "jfk0.3-stereo24.flac", "jfk0.3-8k-6ch.flac", "jfk1-8k-wasted.flac" }) {
            files.add("res:" + r);
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flacFiles")
    void decodedSamplesMatchTheStreamMd5(String name) throws Exception {
        byte[] data = HostileInputTest.load(name);
        int si = 8; // STREAMINFO is the first metadata block
        assertThat(Bytes.u8(data, 4) & 0x7f).isZero();
        int rate = Bytes.u24be(data, si + 10) >>> 4;
        int channels = ((Bytes.u8(data, si + 12) >>> 1) & 7) + 1;
        int bits = (((Bytes.u8(data, si + 12) & 1) << 4) | (Bytes.u8(data, si + 13) >>> 4)) + 1;
        long total = ((Bytes.u8(data, si + 13) & 0x0fL) << 32) | Bytes.u32be(data, si + 14);
        byte[] md5 = Arrays.copyOfRange(data, si + 18, si + 34);
        int p = 4;
        boolean last = false;
        while (!last) {
            last = (Bytes.u8(data, p) & 0x80) != 0;
            p += 4 + Bytes.u24be(data, p + 1);
        }

        FlacFrames frames = new FlacFrames(data, data.length, rate, channels, bits);
        MessageDigest digest = MessageDigest.getInstance("MD5");
        int bytes = (bits + 7) / 8;
        byte[] buf = new byte[bytes];
        long decoded = 0;
        int q = p;
        while (q >= 0 && q < data.length) {
            q = frames.decode(q);
            for (int i = 0; i < frames.blockSize; i++) {
                for (int c = 0; c < channels; c++) {
                    int v = frames.samples[c][i];
                    for (int k = 0; k < bytes; k++) {
                        buf[k] = (byte) (v >> (8 * k));
                    }
                    digest.update(buf);
                }
            }
            decoded += frames.blockSize;
        }
        System.out.printf("FLAC %s: %d Hz, %d channels, %d bits, %d samples%n", name, rate, channels, bits, decoded);
        assertThat(decoded).isEqualTo(total);
        assertThat(digest.digest()).as("MD5 of the decoded samples").isEqualTo(md5);

        PcmAudio pcm = new FlacDecoder().decode(data);
        assertThat(pcm.sampleRate()).isEqualTo(rate);
        assertThat(pcm.samples()).hasSize((int) total);
    }

    /**
     * Escaped residual partitions (raw two's complement values instead of Rice codes) are legal but no encoder
     * at hand writes them: a frame built here, with one escaped partition of 8-bit values and one of 0-bit.
     */
    @Test
    void escapedResidualPartitions() throws Exception {
        int[] values = { 0, 1, -1, 127, -128, 5, -7, 64, 3, 2, 1, 0, -1, -2, -3, 100 };
        MsbWriter f = new MsbWriter();
        f.bits(0xfff8, 16).bits(6, 4).bits(0, 4).bits(0, 4).bits(4, 3).bits(0, 1).bits(0, 8).bits(31, 8);
        f.bits(crc8(f.bytes()), 8);
        f.bits(0, 1).bits(8, 6).bits(0, 1); // fixed predictor, order 0
        f.bits(0, 2).bits(1, 4); // Rice, partition order 1: two partitions of 16
        f.bits(15, 4).bits(8, 5);
        for (int v : values) {
            f.bits(v & 0xff, 8);
        }
        f.bits(15, 4).bits(0, 5); // all zero
        byte[] frame = f.bytes();
        MsbWriter withCrc = new MsbWriter();
        for (byte b : frame) {
            withCrc.bits(b & 0xff, 8);
        }
        withCrc.bits(crc16(frame), 16);
        byte[] streamInfo = new byte[34];
        streamInfo[0] = 0;
        streamInfo[1] = 32; // min block size 32
        streamInfo[2] = 0;
        streamInfo[3] = 32; // max block size 32
        // 8000 Hz (20 bits), 1 channel (3 bits: 0), 16 bits (5 bits: 15), 32 samples (36 bits)
        long packed = (8000L << 44) | (0L << 41) | (15L << 36) | 32L;
        for (int i = 0; i < 8; i++) {
            streamInfo[10 + i] = (byte) (packed >>> (56 - 8 * i));
        }
        byte[] data = HostileInputTest.concat("fLaC".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new byte[] { (byte) 0x80, 0, 0, 34 }, streamInfo, withCrc.bytes());
        PcmAudio pcm = new FlacDecoder().decode(data);
        assertThat(pcm.sampleRate()).isEqualTo(8000);
        assertThat(pcm.samples()).hasSize(32);
        for (int i = 0; i < 16; i++) {
            assertThat(pcm.samples()[i]).isEqualTo(values[i] / 32768f);
            assertThat(pcm.samples()[16 + i]).isZero();
        }
    }

    static int crc8(byte[] b) {
        int crc = 0;
        for (byte x : b) {
            crc ^= x & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
            }
        }
        return crc;
    }

    static int crc16(byte[] b) {
        int crc = 0;
        for (byte x : b) {
            crc ^= (x & 0xff) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
            }
        }
        return crc;
    }

    /** MSB-first bit writer (FLAC packing), padding the last byte with zeros. */
    static final class MsbWriter {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private int acc;
        private int n;

        MsbWriter bits(int value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                acc = (acc << 1) | ((value >>> i) & 1);
                if (++n == 8) {
                    out.write(acc);
                    acc = 0;
                    n = 0;
                }
            }
            return this;
        }

        byte[] bytes() {
            byte[] b = out.toByteArray();
            if (n == 0) {
                return b;
            }
            byte[] c = Arrays.copyOf(b, b.length + 1);
            c[b.length] = (byte) (acc << (8 - n));
            return c;
        }
    }
}
