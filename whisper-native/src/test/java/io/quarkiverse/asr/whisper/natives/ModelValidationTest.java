package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad model files fail with {@link WhisperModelException} naming the file, and the JVM lives on. */
class ModelValidationTest {

    /** Offsets into the header (magic 4 + hparams 44 + filter sizes 8 = 56), the filters, and the vocabulary. */
    private static final int FILTERS_START = 56;
    private static final int VOCABULARY_START = FILTERS_START + 80 * 201 * 4;

    private final WhisperLibrary library = WhisperLibrary.bundled();

    @TempDir
    Path dir;

    @Test
    void missingFile() {
        assertRefused(dir.resolve("nope.bin"), "does not exist");
    }

    @Test
    void folder() {
        assertRefused(dir, "not a regular file");
    }

    @Test
    void emptyFile() throws IOException {
        assertRefused(Files.createFile(dir.resolve("empty.bin")), "truncated");
    }

    @Test
    void textFile() throws IOException {
        assertRefused(Files.writeString(dir.resolve("model.bin"), "this is not a model\n"), "not a whisper.cpp ggml model");
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 4, 20, 48, 52, FILTERS_START + 1000, VOCABULARY_START + 2, VOCABULARY_START + 5000, -1 })
    void truncatedModel(int length) throws IOException {
        byte[] model = Files.readAllBytes(TestData.TINY_EN);
        int keep = length >= 0 ? length : model.length + length;
        assertRefused(Files.write(dir.resolve("truncated.bin"), Arrays.copyOf(model, keep)), "truncated");
    }

    @Test
    void negativeVocabularyEntryLength() throws IOException {
        byte[] model = Files.readAllBytes(TestData.TINY_EN);
        // the first token's length as uint32 0xffffffff: whisper.cpp would try to allocate 4 GB and read garbage
        ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN).putInt(VOCABULARY_START + 4, -1);
        assertRefused(Files.write(dir.resolve("vocab.bin"), model), "truncated");
    }

    /** Found by ModelFileFuzzTest: whisper.cpp aborted naming language tokens past the 100 languages it knows. */
    @Test
    void vocabularyLargerThanAnyWhisperModel() throws IOException {
        byte[] model = Files.readAllBytes(TestData.TINY);
        ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 51_867);
        assertRefused(Files.write(dir.resolve("vocab-size.bin"), model), "n_vocab 51867 is above the 51866 tokens");
    }

    @Test
    void tensorOfUnknownType() throws IOException {
        assertRefused(withTensor("encoder.conv1.bias", 99, 4, 16), "unknown ggml type 99");
    }

    @Test
    void tensorWithTruncatedData() throws IOException {
        assertRefused(withTensor("encoder.conv1.bias", 0, 384, 100), "truncated");
    }

    @Test
    void tensorWithTooManyDimensions() throws IOException {
        byte[] model = Files.readAllBytes(TestData.TINY_EN);
        ByteBuffer tensor = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(1).putInt(0);
        assertRefused(Files.write(dir.resolve("dims.bin"), concat(model, tensor.array())), "7 dimensions");
    }

    @Test
    void wellFormedFileThatWhisperRejects() throws IOException {
        // structurally sound, so only whisper.cpp can tell: it does not know the tensor and returns NULL
        Path model = withTensor("no.such.tensor", 0, 4, 16);
        WhisperModelFile.validate(model);
        assertRefused(model, "could not load");
    }

    @Test
    void validModelsPass() {
        WhisperModelFile.Header english = WhisperModelFile.validate(TestData.TINY_EN);
        WhisperModelFile.Header multilingual = WhisperModelFile.validate(TestData.TINY);
        assertEquals(51864, english.vocabularySize());
        assertEquals(false, english.multilingual());
        assertEquals(51865, multilingual.vocabularySize());
        assertEquals(true, multilingual.multilingual());
        assertEquals(4, english.audioLayers());
        assertEquals(4, english.textLayers());
        try (WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults())) {
            assertEquals("tiny", context.modelType());
        }
    }

    @Test
    void aCheckedModelLoadsFromItsHeader() throws IOException {
        Path model = Files.copy(TestData.TINY_EN, dir.resolve("checked.bin"));
        WhisperModelFile.Header header = WhisperModelFile.validate(model);

        assertEquals(model.toAbsolutePath().normalize(), header.file());
        try (WhisperContext context = library.loadModel(header, ContextParams.defaults())) {
            assertEquals(header.file(), context.modelFile());
        }
    }

    @Test
    void aModelThatChangedSinceItsCheckIsCheckedAgain() throws IOException {
        Path model = Files.copy(TestData.TINY_EN, dir.resolve("replaced.bin"));
        WhisperModelFile.Header header = WhisperModelFile.validate(model);
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, Arrays.copyOf(bytes, bytes.length - 1));

        var e = assertThrows(WhisperModelException.class, () -> library.loadModel(header, ContextParams.defaults()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    private void assertRefused(Path model, String reason) {
        var e = assertThrows(WhisperModelException.class, () -> library.loadModel(model, ContextParams.defaults()));
        assertTrue(e.getMessage().contains(model.toAbsolutePath().normalize().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** The test model plus one 1-D F32 (type 0) or other tensor of {@code elements} with {@code dataBytes} of data. */
    private Path withTensor(String name, int type, int elements, int dataBytes) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer tensor = ByteBuffer.allocate(16 + nameBytes.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1).putInt(nameBytes.length).putInt(type).putInt(elements).put(nameBytes);
        return Files.write(dir.resolve("tensor.bin"), concat(Files.readAllBytes(TestData.TINY_EN), tensor.array()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
