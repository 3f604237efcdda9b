package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.function.Function;

/**
 * Checks a whisper ggml model file before whisper.cpp reads it. whisper.cpp 1.7.1 trusts the file: after a
 * short read it goes on with uninitialised lengths, and a huge or negative one makes it allocate garbage
 * sizes, which can abort the whole JVM. This walks
 * the same structure as its loader (whisper_model_load) and refuses any read past the end:
 * <pre>
 * uint32 magic 'ggml'; int32 hparams[11] (n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
 *   n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype)
 * int32 n_mel, n_fft; float32 filters[n_mel * n_fft]
 * int32 n_vocab; n_vocab times { uint32 len; byte token[len] }
 * until EOF: { int32 n_dims, name_len, ttype; int32 ne[n_dims]; byte name[name_len]; data }
 * </pre>
 * All little-endian. Whether the tensors are the ones the model needs is left to whisper.cpp, which rejects
 * such files cleanly.
 */
public final class WhisperModelFile {

    private static final int GGML_MAGIC = 0x67676d6c;

    private static final String[] HPARAMS = { "n_vocab", "n_audio_ctx", "n_audio_state", "n_audio_head",
            "n_audio_layer", "n_text_ctx", "n_text_state", "n_text_head", "n_text_layer", "n_mels" };

    /**
     * large-v3's vocabulary, the largest: whisper.cpp numbers one language token per vocabulary entry above 51 765,
     * and a larger n_vocab makes it name languages past the 100 it knows, which aborts the process (found by fuzzing).
     */
    private static final int MAX_VOCABULARY = 51_866;

    /** Far above Silero's ("silero-16k", 4 encoder layers); guards whisper.cpp's allocations of these sizes. */
    private static final int MAX_VAD_TYPE_LENGTH = 256;
    private static final int MAX_VAD_ENCODER_LAYERS = 64;

    private static final ValueLayout.OfInt INT32 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Bytes per block and elements per block of each {@code enum ggml_type} of ggml v1.7.1 (index = type id;
     * {0, 0} for ids that ggml removed). Tensor data takes {@code elements / block * bytes}.
     */
    private static final int[][] TYPE_SIZES = {
            { 4, 1 }, // F32
            { 2, 1 }, // F16
            { 18, 32 }, // Q4_0
            { 20, 32 }, // Q4_1
            { 0, 0 }, // Q4_2, removed
            { 0, 0 }, // Q4_3, removed
            { 22, 32 }, // Q5_0
            { 24, 32 }, // Q5_1
            { 34, 32 }, // Q8_0
            { 36, 32 }, // Q8_1
            { 84, 256 }, // Q2_K
            { 110, 256 }, // Q3_K
            { 144, 256 }, // Q4_K
            { 176, 256 }, // Q5_K
            { 210, 256 }, // Q6_K
            { 292, 256 }, // Q8_K
            { 66, 256 }, // IQ2_XXS
            { 74, 256 }, // IQ2_XS
            { 98, 256 }, // IQ3_XXS
            { 50, 256 }, // IQ1_S
            { 18, 32 }, // IQ4_NL
            { 110, 256 }, // IQ3_S
            { 82, 256 }, // IQ2_S
            { 136, 256 }, // IQ4_XS
            { 1, 1 }, // I8
            { 2, 1 }, // I16
            { 4, 1 }, // I32
            { 8, 1 }, // I64
            { 8, 1 }, // F64
            { 56, 256 }, // IQ1_M
            { 2, 1 }, // BF16
            { 18, 32 }, // Q4_0_4_4
            { 18, 32 }, // Q4_0_4_8
            { 18, 32 }, // Q4_0_8_8
            { 54, 256 }, // TQ1_0
            { 66, 256 }, // TQ2_0
    };

    private final Path file;
    private final FileTime lastModified;
    private final MemorySegment data;
    private long position;

    private WhisperModelFile(Path file, FileTime lastModified, MemorySegment data) {
        this.file = file;
        this.lastModified = lastModified;
        this.data = data;
    }

    /**
     * The model's shape, as its header declares it, and the file it was read from. Only {@link #validate} makes one,
     * so a header stands for a file that was checked: {@link WhisperLibrary#loadModel(Header, ContextParams)} loads
     * it without walking it again as long as its length and modification time are unchanged.
     */
    public static final class Header {

        private final Path file;
        private final long size;
        private final FileTime lastModified;
        private final int vocabularySize;
        private final int audioLayers;
        private final int textLayers;

        private Header(Path file, long size, FileTime lastModified, int vocabularySize, int audioLayers,
                int textLayers) {
            this.file = file;
            this.size = size;
            this.lastModified = lastModified;
            this.vocabularySize = vocabularySize;
            this.audioLayers = audioLayers;
            this.textLayers = textLayers;
        }

        /** The checked file, absolute and normalised. */
        public Path file() {
            return file;
        }

        /** {@code n_vocab}. */
        public int vocabularySize() {
            return vocabularySize;
        }

        /** {@code n_audio_layer}. */
        public int audioLayers() {
            return audioLayers;
        }

        /** {@code n_text_layer}. */
        public int textLayers() {
            return textLayers;
        }

        /** whisper.cpp's own rule: the multilingual vocabulary has 51865 tokens or more, English-only 51864. */
        public boolean multilingual() {
            return vocabularySize >= 51865;
        }

        /** Whether the file still has the length and modification time it had when it was checked. */
        boolean unchanged() {
            try {
                return Files.size(file) == size && Files.getLastModifiedTime(file).equals(lastModified);
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "Header[" + file + ", n_vocab=" + vocabularySize + ", n_audio_layer=" + audioLayers
                    + ", n_text_layer=" + textLayers + "]";
        }
    }

    /**
     * Checks that {@code file} is a complete whisper ggml model, without loading its weights.
     *
     * @return the model's header
     * @throws WhisperModelException naming {@code file} when it is missing, unreadable, not ggml, truncated or corrupt
     */
    public static Header validate(Path file) {
        return walk(file.toAbsolutePath().normalize(), "Model file", WhisperModelFile::walk);
    }

    /**
     * Checks that {@code file} is a complete whisper.cpp VAD model (1.7.6 and later; e.g. ggml-silero-v6.2.0.bin),
     * whose loader trusts its lengths just as whisper_model_load does:
     * <pre>
     * uint32 magic 'ggml'; int32 type_len; byte type[type_len]; int32 version[3]; int32 n_window, n_context;
     * int32 n_encoder_layers; n_encoder_layers times int32 { in_channels, out_channels, kernel_size };
     * int32 lstm_input_size, lstm_hidden_size, final_conv_in, final_conv_out; tensors as in a whisper model
     * </pre>
     *
     * @throws WhisperModelException naming {@code file} when it is missing, unreadable, not ggml, truncated or corrupt
     */
    static void validateVad(Path file) {
        walk(file, "VAD model file", WhisperModelFile::walkVad);
    }

    private static <T> T walk(Path file, String what, Function<WhisperModelFile, T> walker) {
        if (!Files.exists(file)) {
            throw new WhisperModelException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new WhisperModelException(what + " " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new WhisperModelException(what + " " + file + " is not readable");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                Arena arena = Arena.ofConfined()) {
            FileTime lastModified = Files.getLastModifiedTime(file);
            // mapped, so only the headers are paged in, never the weights
            return walker.apply(new WhisperModelFile(file, lastModified,
                    channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena)));
        } catch (ArithmeticException e) {
            throw new WhisperModelException(what + " " + file + " is corrupt: its sizes overflow", e);
        } catch (IOException e) {
            throw new WhisperModelException("Cannot read " + what.toLowerCase(Locale.ROOT) + " " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private Void walkVad() {
        checkMagic("a whisper.cpp VAD model");
        int typeLength = readInt("the model type length");
        if (typeLength < 1 || typeLength > MAX_VAD_TYPE_LENGTH) {
            throw corrupt("model type length " + typeLength);
        }
        skip(typeLength, "the model type");
        for (String field : new String[] { "major version", "minor version", "patch version", "n_window",
                "n_context" }) {
            readInt(field);
        }
        int layers = readInt("n_encoder_layers");
        if (layers < 1 || layers > MAX_VAD_ENCODER_LAYERS) {
            throw corrupt("n_encoder_layers is " + layers);
        }
        skip(Math.multiplyExact(layers, 3L * Integer.BYTES), "the encoder layer sizes");
        skip(4L * Integer.BYTES, "the LSTM and output sizes");
        // Silero has scalar tensors (no dimensions, one element)
        walkTensors(0);
        return null;
    }

    private void checkMagic(String expected) {
        int magic = readInt("the file magic");
        if (magic != GGML_MAGIC) {
            throw new WhisperModelException(String.format("Model file %s is not %s (magic 0x%08x, expected 0x%08x 'ggml')",
                    file, expected, magic, GGML_MAGIC));
        }
    }

    private Header walk() {
        checkMagic("a whisper.cpp ggml model");
        int[] hparams = new int[HPARAMS.length];
        for (int i = 0; i < HPARAMS.length; i++) {
            hparams[i] = positive(HPARAMS[i], readInt("hyper-parameter " + HPARAMS[i]));
        }
        if (hparams[0] > MAX_VOCABULARY) {
            throw corrupt("n_vocab " + hparams[0] + " is above the " + MAX_VOCABULARY
                    + " tokens of the largest whisper vocabulary");
        }
        if (readInt("hyper-parameter ftype") < 0) {
            throw corrupt("negative ftype");
        }
        long melCount = count("mel filter count", readInt("the mel filter count"));
        long fftSize = count("mel filter FFT size", readInt("the mel filter FFT size"));
        // whisper.cpp computes the spectrogram with the filter count and runs the encoder with n_mels
        if (melCount != hparams[HPARAMS.length - 1]) {
            throw corrupt(melCount + " mel filters for n_mels " + hparams[HPARAMS.length - 1]);
        }
        skip(Math.multiplyExact(melCount * fftSize, Float.BYTES), "the mel filters");
        long vocabSize = count("vocabulary size", readInt("the vocabulary size"));
        for (long i = 0; i < vocabSize; i++) {
            skip(Integer.toUnsignedLong(readInt("the vocabulary")), "the vocabulary");
        }
        walkTensors(1);
        return new Header(file, data.byteSize(), lastModified, hparams[0], hparams[4], hparams[8]);
    }

    private void walkTensors(int minDims) {
        for (int tensor = 0; position < data.byteSize(); tensor++) {
            walkTensor(tensor, minDims);
        }
    }

    private void walkTensor(int tensor, int minDims) {
        String what = "tensor #" + tensor;
        int dims = readInt("the header of " + what);
        int nameLength = readInt("the header of " + what);
        int type = readInt("the header of " + what);
        if (dims < minDims || dims > 4) {
            throw corrupt(what + " has " + dims + " dimensions");
        }
        count(what + " name length", nameLength);
        long elements = 1;
        for (int i = 0; i < dims; i++) {
            elements = Math.multiplyExact(elements, positive(what + " dimension", readInt("the shape of " + what)));
        }
        require(nameLength, "the name of " + what);
        what = "tensor '" + new String(data.asSlice(position, nameLength).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8) + "'";
        position += nameLength;
        if (type < 0 || type >= TYPE_SIZES.length || TYPE_SIZES[type][1] == 0) {
            throw corrupt(what + " has unknown ggml type " + type);
        }
        int bytes = TYPE_SIZES[type][0];
        int block = TYPE_SIZES[type][1];
        if (elements % block != 0) {
            throw corrupt(what + " has " + elements + " elements, not a multiple of its type's block of " + block);
        }
        skip(Math.multiplyExact(elements / block, bytes), "the data of " + what);
    }

    private int readInt(String what) {
        require(Integer.BYTES, what);
        int value = data.get(INT32, position);
        position += Integer.BYTES;
        return value;
    }

    private void skip(long length, String what) {
        require(length, what);
        position += length;
    }

    private void require(long length, String what) {
        if (length > data.byteSize() - position) {
            throw new WhisperModelException(String.format(
                    "Model file %s is truncated: %s needs %d bytes at offset %d, but the file ends at %d", file, what,
                    length, position, data.byteSize()));
        }
    }

    private int positive(String what, int value) {
        if (value <= 0) {
            throw corrupt(what + " is " + value);
        }
        return value;
    }

    private long count(String what, int value) {
        if (value < 0) {
            throw corrupt(what + " is " + value);
        }
        return value;
    }

    private WhisperModelException corrupt(String detail) {
        return new WhisperModelException("Model file " + file + " is corrupt: " + detail);
    }
}
