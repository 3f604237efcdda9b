package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VAD model checks, and the refusal of VAD by the bundled 1.7.1 library. Detection itself needs whisper.cpp 1.7.6
 * or later: see {@link WhisperCpp193Test}.
 */
class VadTest {

    private static final Path SILERO = TestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin");

    @Test
    void theBundledLibraryHasNoVad() {
        var e = assertThrows(WhisperLibraryException.class, () -> WhisperLibrary.bundled().loadVadModel(SILERO, 0));
        assertTrue(e.getMessage().contains("needs whisper.cpp 1.7.6 or later"), e.getMessage());
        assertTrue(e.getMessage().contains("1.7.0 to 1.7.5"), e.getMessage());
    }

    @Test
    void acceptsSilero() {
        WhisperModelFile.validateVad(SILERO);
    }

    @Test
    void refusesTruncatedOrForeignVadModels(@TempDir Path dir) throws IOException {
        byte[] silero = Files.readAllBytes(SILERO);
        for (int length : new int[] { 0, 3, 20, 60, silero.length / 2, silero.length - 1 }) {
            Path truncated = Files.write(dir.resolve("truncated-" + length + ".bin"), Arrays.copyOf(silero, length));
            var e = assertThrows(WhisperModelException.class, () -> WhisperModelFile.validateVad(truncated));
            assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
        }
        // a whisper model: its n_vocab is read as the model type's length
        var e = assertThrows(WhisperModelException.class, () -> WhisperModelFile.validateVad(TestData.TINY_EN));
        assertTrue(e.getMessage().contains("model type length"), e.getMessage());
        assertThrows(WhisperModelException.class, () -> WhisperModelFile.validateVad(dir.resolve("missing.bin")));
    }
}
