package io.quarkiverse.asr.openai.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The search for the closing delimiter that runs over every uploaded byte: found at the start, in the middle and at the
 * very end, after a partial match, and not found when only a prefix of it is there.
 */
class MultipartBoundarySearchTest {

    private static final byte[] CLOSING = bytes("\r\n--b0undary--");

    @Test
    void findsTheDelimiterWhereverItIs() {
        assertThat(MultipartBodyHandler.indexOf(bytes("\r\n--b0undary--"), CLOSING)).isZero();
        assertThat(MultipartBodyHandler.indexOf(bytes("RIFF\r\n--b0undary--\r\n"), CLOSING)).isEqualTo(4);
        assertThat(MultipartBodyHandler.indexOf(bytes("\r\n--b0und\r\n--b0undary--"), CLOSING)).isEqualTo(9);
    }

    @Test
    void aPrefixOrAShorterInputIsNoMatch() {
        assertThat(MultipartBodyHandler.indexOf(bytes("data\r\n--b0undary-"), CLOSING)).isEqualTo(-1);
        assertThat(MultipartBodyHandler.indexOf(bytes("\r\n"), CLOSING)).isEqualTo(-1);
        assertThat(MultipartBodyHandler.indexOf(new byte[0], CLOSING)).isEqualTo(-1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
