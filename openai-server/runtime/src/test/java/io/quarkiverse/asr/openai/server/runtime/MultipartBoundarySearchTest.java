package io.quarkiverse.asr.openai.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The search for the closing delimiter that runs over every uploaded byte: found at the start, in the middle and at the
 * very end, after a partial match, and not found when only a prefix of it is there; and on random bytes made of the
 * delimiter's own characters, where its skips are shortest, it finds what a byte-by-byte search finds.
 */
class MultipartBoundarySearchTest {

    private static final MultipartBodyHandler.Delimiter CLOSING = new MultipartBodyHandler.Delimiter(
            bytes("\r\n--b0undary--"));

    @Test
    void findsTheDelimiterWhereverItIs() {
        assertThat(CLOSING.indexOf(bytes("\r\n--b0undary--"))).isZero();
        assertThat(CLOSING.indexOf(bytes("RIFF\r\n--b0undary--\r\n"))).isEqualTo(4);
        assertThat(CLOSING.indexOf(bytes("\r\n--b0und\r\n--b0undary--"))).isEqualTo(9);
        assertThat(CLOSING.indexOf(bytes("--b0undary-\r\n--b0undary--"))).isEqualTo(11);
    }

    @Test
    void aPrefixOrAShorterInputIsNoMatch() {
        assertThat(CLOSING.indexOf(bytes("data\r\n--b0undary-"))).isEqualTo(-1);
        assertThat(CLOSING.indexOf(bytes("data\n--b0undary--"))).isEqualTo(-1);
        assertThat(CLOSING.indexOf(bytes("\r\n"))).isEqualTo(-1);
        assertThat(CLOSING.indexOf(new byte[0])).isEqualTo(-1);
    }

    @Test
    void findsWhatAByteByByteSearchFinds() {
        byte[] delimiter = bytes("\r\n--ab-a--");
        MultipartBodyHandler.Delimiter search = new MultipartBodyHandler.Delimiter(delimiter);
        Random random = new Random(42);
        byte[] alphabet = bytes("\r\n-ab");
        int found = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] haystack = new byte[random.nextInt(40)];
            for (int i = 0; i < haystack.length; i++) {
                haystack[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (random.nextInt(4) == 0 && haystack.length >= delimiter.length) {
                System.arraycopy(delimiter, 0, haystack, random.nextInt(haystack.length - delimiter.length + 1),
                        delimiter.length);
            }
            int expected = byteByByte(haystack, delimiter);
            assertThat(search.indexOf(haystack)).as("round %d", round).isEqualTo(expected);
            found += expected >= 0 ? 1 : 0;
        }
        assertThat(found).isPositive();
    }

    /** However a body is cut into three chunks, the delimiter is found in the chunk where it ends, and only there. */
    @Test
    void aScanFindsTheDelimiterSplitAnywhere() {
        byte[] body = bytes("--b0undary\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n\r\n--b0und\r\n--b0undary--\r\n");
        // the delimiter ends before the last line break
        int end = body.length - 2;
        assertThat(CLOSING.indexOf(body) + "\r\n--b0undary--".length()).isEqualTo(end);
        for (int first = 0; first <= body.length; first++) {
            for (int second = first; second <= body.length; second++) {
                MultipartBodyHandler.Delimiter.Scan scan = CLOSING.scan(bytes("\r\n"));
                int[] cuts = { 0, first, second, body.length };
                for (int chunk = 0; chunk < 3; chunk++) {
                    boolean endsHere = cuts[chunk] < end && end <= cuts[chunk + 1];
                    assertThat(scan.foundIn(Arrays.copyOfRange(body, cuts[chunk], cuts[chunk + 1])))
                            .as("cut at %d and %d, chunk %d", first, second, chunk).isEqualTo(endsHere);
                    if (endsHere) {
                        break;
                    }
                }
            }
        }
    }

    /** A delimiter at the very start of a stream has the scan's start before it instead of a line break. */
    @Test
    void aScanFindsTheDelimiterAtTheVeryStart() {
        assertThat(CLOSING.scan(bytes("\r\n")).foundIn(bytes("--b0undary--\r\n"))).isTrue();
        assertThat(CLOSING.scan(new byte[0]).foundIn(bytes("--b0undary--\r\n"))).isFalse();
    }

    private static int byteByByte(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
