package io.quarkiverse.asr.audio.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.audio.AudioDecoder;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.PcmOutput;

/**
 * Corrupt, truncated and crafted input either decodes or is refused with an UnsupportedAudioException that
 * says why: never another exception, a crash, a hang or an unbounded allocation.
 */
// a decoder that loops forever on hostile input fails its test here instead of hanging the build
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileInputTest {

    /** Generous: a decode of these small files takes milliseconds. */
    private static final Duration PER_FILE = Duration.ofSeconds(30);

    static Stream<String> samples() {
        return Stream.of("formats/jfk.mp3", "formats/jfk.flac", "formats/jfk.ogg", "formats/jfk.m4a", "formats/jfk.webm",
                "res:jfk4-vorbis.ogg", "res:jfk4-vorbis.webm", "res:jfk4-fragmented.m4a", "res:jfk4.aac",
                "res:jfk4-opus.mp4", "res:jfk4-mp3.mka", "res:jfk1.5-flac.mka", "res:jfk0.3-stereo24.flac");
    }

    static byte[] load(String name) {
        return name.startsWith("res:") ? TestAudio.resource(name.substring(4)) : TestAudio.read(TestAudio.audio(name));
    }

    /** Decodes and checks the result, or returns the refusal's message; any other exception fails the test. */
    static String outcome(AudioDecoder decoder, byte[] data) {
        try {
            PcmAudio pcm = decoder.decode(data);
            assertThat(pcm.samples()).isNotEmpty();
            for (float v : pcm.samples()) {
                if (!(v >= -1f && v <= 1f)) {
                    throw new AssertionError("sample out of range: " + v);
                }
            }
            return "decoded";
        } catch (UnsupportedAudioException e) {
            assertThat(e.getMessage()).isNotBlank();
            return "refused";
        }
    }

    private static AudioDecoder decoderFor(byte[] data) {
        List<AudioDecoder> accepting = TestAudio.accepting(data);
        assertThat(accepting).hasSize(1);
        return accepting.get(0);
    }

    @Test
    void emptyAndTinyInputIsRefusedByEveryDecoder() {
        Random random = new Random(42);
        for (AudioDecoder decoder : TestAudio.loaded()) {
            assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(UnsupportedAudioException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(UnsupportedAudioException.class);
            for (int i = 0; i < 20; i++) {
                byte[] ten = new byte[10];
                random.nextBytes(ten);
                assertThat(outcome(decoder, ten)).as("%s on 10 random bytes", decoder).isEqualTo("refused");
            }
        }
    }

    @Test
    void randomDataIsRefusedByEveryDecoder() {
        Random random = new Random(7);
        for (AudioDecoder decoder : TestAudio.loaded()) {
            for (int size : new int[] { 100, 4096, 100_000 }) {
                byte[] junk = new byte[size];
                random.nextBytes(junk);
                assertTimeoutPreemptively(PER_FILE, () -> outcome(decoder, junk));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void truncated(String name) {
        byte[] data = load(name);
        AudioDecoder decoder = decoderFor(data);
        Map<Integer, String> results = new TreeMap<>();
        assertTimeoutPreemptively(PER_FILE, () -> {
            for (int cut : cuts(data.length)) {
                results.put(cut, outcome(decoder, Arrays.copyOf(data, cut)));
            }
        });
        System.out.println("TRUNCATED " + name + " " + results);
        if (moovAtEnd(data)) {
            // MP4 written without "faststart": the sample tables come last, a cut file has none
            assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(data, data.length / 2)))
                    .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("moov");
        } else {
            // cut in the middle, the first part still decodes
            assertThat(results.get(data.length / 2)).isEqualTo("decoded");
        }
    }

    private static boolean moovAtEnd(byte[] data) {
        List<Mp4Decoder.Box> top = Mp4Decoder.boxes(data, 0, data.length, new Work("test", CodecLimits.defaults(), PcmOutput.atStreamRate("test")));
        return !top.isEmpty() && top.get(0).type().equals("ftyp") && !top.get(1).type().equals("moov")
                && top.stream().anyMatch(b -> b.type().equals("moov"));
    }

    private static int[] cuts(int n) {
        return java.util.stream.IntStream.of(1, 3, 4, 8, 12, 27, 40, 64, 100, 200, 500, 1000, 2000,
                n / 10, n / 4, n / 2, 3 * n / 4, n - 100, n - 1)
                .filter(c -> c > 0 && c < n).distinct().sorted().toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void corrupted(String name) {
        byte[] data = load(name);
        AudioDecoder decoder = decoderFor(data);
        List<String> results = new ArrayList<>();
        assertTimeoutPreemptively(PER_FILE, () -> {
            for (int seed = 1; seed <= 12; seed++) {
                Random random = new Random(seed * 31L + name.hashCode());
                byte[] copy = data.clone();
                // flips in the middle; every third run also hits the headers at the start
                int flips = 1 + random.nextInt(seed <= 6 ? 4 : 64);
                for (int i = 0; i < flips; i++) {
                    int at = seed % 3 == 0 ? random.nextInt(Math.min(copy.length, 256))
                            : copy.length / 4 + random.nextInt(copy.length / 2);
                    copy[at] ^= (byte) (1 + random.nextInt(255));
                }
                results.add(outcome(decoder, copy));
            }
        });
        System.out.println("CORRUPTED " + name + " " + results);
        assertThat(results).contains("decoded"); // a few flipped bytes in the middle do not lose the whole file
    }

    @Test
    void id3TagClaimingAQuarterGigabyteWithNothingAfterIt() {
        byte[] tag = { 'I', 'D', '3', 4, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3 };
        AudioDecoder decoder = decoderFor(tag);
        assertThatThrownBy(() -> decoder.decode(tag)).isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining("ID3");
    }

    @Test
    void flacClaimingDaysOfAudioIsRefusedUpFront() {
        byte[] data = TestAudio.read(TestAudio.audio("formats/jfk.flac"));
        // STREAMINFO total samples: 36 bits at bytes 13 (low nibble) to 17 after the block header
        int si = 8;
        data[si + 13] |= 0x0f;
        data[si + 14] = data[si + 15] = data[si + 16] = data[si + 17] = (byte) 0xff;
        assertThatThrownBy(() -> new FlacDecoder().decode(data)).isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining("longer than the limit");
    }

    @Test
    void mp4WithBillionsOfOneByteSamplesGivesUpQuickly() {
        byte[] asc = AacCodec.asc(2, 8, 1);
        byte[] esds = concat(new byte[4], new byte[] { 0x03, 25, 0, 1, 0, 0x04, 17, 0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0x05, 2 }, asc);
        byte[] mp4a = concat(new byte[28], box("esds", esds));
        mp4a[7] = 1;
        byte[] stbl = concat(
                box("stsd", concat(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 }, box("mp4a", mp4a))),
                box("stsz", new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff }),
                box("stsc", new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0,
                        0, 1 }),
                box("stco", new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }));
        byte[] hdlr = new byte[24];
        System.arraycopy("soun".getBytes(StandardCharsets.US_ASCII), 0, hdlr, 8, 4);
        byte[] moov = box("moov", box("trak", box("mdia", concat(box("hdlr", hdlr), box("minf", box("stbl", stbl))))));
        byte[] file = concat(box("ftyp", "M4A isom".getBytes(StandardCharsets.US_ASCII)), moov, new byte[200_000]);
        AudioDecoder decoder = decoderFor(file);
        assertThat(decoder).isInstanceOf(Mp4Decoder.class);
        assertTimeoutPreemptively(PER_FILE, () -> assertThatThrownBy(() -> decoder.decode(file))
                .isInstanceOf(UnsupportedAudioException.class));
    }

    @Test
    void vorbisCodebookBombIsRefusedBeforeTheLibrarySeesIt() {
        byte[] ident = concat(new byte[] { 1, 'v', 'o', 'r', 'b', 'i', 's', 0, 0, 0, 0, 1, (byte) 0x80, 0x3e, 0, 0 },
                new byte[12], new byte[] { (byte) 0xb8, 1 });
        byte[] comment = concat(new byte[] { 3, 'v', 'o', 'r', 'b', 'i', 's' }, new byte[8], new byte[] { 1 });
        // one codebook: sync, 1 dimension, 2^24-1 entries, ordered lengths in one run, lookup type 1
        LsbWriter w = new LsbWriter();
        w.write(0, 8).write(0x564342, 24).write(1, 16).write(0xffffff, 24).write(1, 1).write(0, 5).write(0xffffff, 24)
                .write(1, 4).write(0, 32).write(0, 32).write(0, 4).write(0, 1);
        byte[] setup = concat(new byte[] { 5, 'v', 'o', 'r', 'b', 'i', 's' }, w.bytes());
        byte[] ogg = concat(OggPages.page(1, 0, 2, 0, ident), OggPages.page(1, 1, 0, 0, comment, setup),
                OggPages.page(1, 2, 4, 1024, new byte[] { 0 }, new byte[] { 0 }));
        AudioDecoder decoder = decoderFor(ogg);
        assertThatThrownBy(() -> decoder.decode(ogg)).isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining("codebooks larger");
    }

    @Test
    void vorbisCommentHeaderClaimingTwoGigabytesIsNotAllocated() {
        byte[] data = TestAudio.resource("jfk4-vorbis.ogg");
        int at = indexOf(data, new byte[] { 3, 'v', 'o', 'r', 'b', 'i', 's' });
        assertThat(at).isPositive();
        data[at + 7] = (byte) 0xff; // vendor string length 0x7fffffff
        data[at + 8] = (byte) 0xff;
        data[at + 9] = (byte) 0xff;
        data[at + 10] = 0x7f;
        int page = at;
        while (!new String(data, page, 4, StandardCharsets.US_ASCII).equals("OggS")) {
            page--;
        }
        OggPages.fixCrc(data, page);
        byte[] hostile = data;
        // the tags are not needed: the audio decodes, quickly and without a 2 GB allocation
        assertTimeoutPreemptively(PER_FILE, () -> assertThat(new OggDecoder().decode(hostile).samples()).hasSize(64_000));
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer: for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void opusHeaderWithAbsurdGainAndChannelsStaysInRange() {
        byte[] data = TestAudio.read(TestAudio.audio("formats/jfk.ogg"));
        // OpusHead output gain at offset 16 of the first packet: +127 dB; the page CRC must be fixed up
        int head = 28;
        assertThat(new String(data, head, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusHead");
        data[head + 16] = (byte) 0xff;
        data[head + 17] = 0x7f;
        OggPages.fixCrc(data, 0);
        assertThat(outcome(new OggDecoder(), data)).isEqualTo("decoded"); // samples clamped to -1..1
    }

    @Test
    void ebmlWithHugeSizesIsBounded() {
        byte[] ebml = { 0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x87, 0x42, (byte) 0x82, (byte) 0x84, 'w', 'e', 'b', 'm' };
        byte[] segment = { 0x18, 0x53, (byte) 0x80, 0x67, 0x01, 0x00, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xfe };
        byte[] tracks = { 0x16, 0x54, (byte) 0xAE, 0x6B, 0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff };
        byte[] file = concat(ebml, segment, tracks, new byte[1000]);
        assertThat(outcome(new MatroskaDecoder(), file)).isEqualTo("refused");
    }

    @Test
    void longerThanTheLimitIsRefused() {
        byte[] data = TestAudio.read(TestAudio.audio("formats/jfk.mp3"));
        CodecLimits oneSecond = new CodecLimits(Duration.ofSeconds(1), Duration.ofMinutes(1));
        for (AudioDecoder decoder : List.of(new Mp3Decoder(oneSecond))) {
            assertThatThrownBy(() -> decoder.decode(data)).isInstanceOf(UnsupportedAudioException.class)
                    .hasMessageContaining("longer than the limit of 1 s").hasMessageContaining(CodecLimits.MAX_DURATION_PROPERTY);
        }
        byte[] ogg = TestAudio.read(TestAudio.audio("formats/jfk.ogg"));
        assertThatThrownBy(() -> new OggDecoder(oneSecond).decode(ogg)).isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining("longer than the limit");
        assertThat(new OggDecoder(new CodecLimits(Duration.ofSeconds(12), Duration.ofMinutes(1))).decode(ogg).samples())
                .hasSize(176_000);
    }

    @Test
    void slowerThanTheTimeoutIsRefused() {
        byte[] data = TestAudio.read(TestAudio.audio("formats/jfk.m4a"));
        CodecLimits instant = new CodecLimits(Duration.ofHours(1), Duration.ofNanos(1));
        assertThatThrownBy(() -> new Mp4Decoder(instant).decode(data)).isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining("took longer than").hasMessageContaining(CodecLimits.TIMEOUT_PROPERTY);
    }

    @Test
    void limitsComeFromSystemProperties() {
        String old = System.getProperty(CodecLimits.MAX_DURATION_PROPERTY);
        try {
            System.setProperty(CodecLimits.MAX_DURATION_PROPERTY, "2.5");
            assertThat(CodecLimits.fromSystemProperties().maxDuration()).isEqualTo(Duration.ofMillis(2500));
            byte[] data = TestAudio.read(TestAudio.audio("formats/jfk.flac"));
            assertThatThrownBy(() -> new FlacDecoder().decode(data)).hasMessageContaining("longer than the limit");
            System.setProperty(CodecLimits.MAX_DURATION_PROPERTY, "PT1H");
            assertThat(CodecLimits.fromSystemProperties().maxDuration()).isEqualTo(Duration.ofHours(1));
            System.setProperty(CodecLimits.MAX_DURATION_PROPERTY, "nonsense");
            assertThat(CodecLimits.fromSystemProperties().maxDuration()).isEqualTo(CodecLimits.DEFAULT_MAX_DURATION);
        } finally {
            if (old == null) {
                System.clearProperty(CodecLimits.MAX_DURATION_PROPERTY);
            } else {
                System.setProperty(CodecLimits.MAX_DURATION_PROPERTY, old);
            }
        }
    }

    static byte[] box(String type, byte[]... payload) {
        byte[] body = concat(payload);
        byte[] out = new byte[8 + body.length];
        int size = out.length;
        out[0] = (byte) (size >>> 24);
        out[1] = (byte) (size >>> 16);
        out[2] = (byte) (size >>> 8);
        out[3] = (byte) size;
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, out, 4, 4);
        System.arraycopy(body, 0, out, 8, body.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** LSB-first bit writer (Vorbis packing). */
    static final class LsbWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int bits;

        LsbWriter write(long value, int n) {
            for (int i = 0; i < n; i++) {
                acc |= (int) ((value >>> i) & 1) << bits;
                if (++bits == 8) {
                    out.write(acc);
                    acc = 0;
                    bits = 0;
                }
            }
            return this;
        }

        byte[] bytes() {
            if (bits > 0) {
                out.write(acc);
            }
            return out.toByteArray();
        }
    }
}
