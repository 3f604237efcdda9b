package io.quarkiverse.asr.spi.vad;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.quarkiverse.asr.spi.ModelException;

/**
 * The Silero VAD v6 network in plain Java, reading whisper.cpp's ggml file of it ({@code ggml-silero-v6.2.0.bin}),
 * for libraries and providers without whisper.cpp's own VAD. It computes what whisper.cpp 1.9.3's
 * {@code whisper_vad_detect_speech} computes, frame by frame:
 * <ol>
 * <li>a 512-sample frame, reflect-padded by 64 samples on each side (no context from the previous frame);</li>
 * <li>an STFT as a convolution with the stored basis (kernel 256, hop 128: 4 steps of 258 outputs), then the
 * magnitude of its 129 complex bins;</li>
 * <li>four convolutions (kernel 3, padding 1, strides 1, 2, 2, 1) with ReLU, down to 128 values;</li>
 * <li>an LSTM cell (128 units, gates i, f, g, o) whose state carries on to the next frame;</li>
 * <li>ReLU, a 128-to-1 convolution and a sigmoid: the speech probability.</li>
 * </ol>
 * ggml feeds each convolution its input as half-precision floats; this does the same rounding, which keeps its
 * probabilities within 1e-5 or so of whisper.cpp's. The weights are immutable and shared by every classifier;
 * thread-safe.
 */
public final class SileroVad implements VoiceActivityDetector {

    private static final int GGML_MAGIC = 0x67676d6c;
    private static final int GGML_F32 = 0;
    private static final int GGML_F16 = 1;

    private static final int FRAME = 512;
    private static final int REFLECT = 64;
    private static final int PADDED = FRAME + 2 * REFLECT;
    private static final int FFT = 256;
    private static final int HOP = 128;
    private static final int STEPS = (PADDED - FFT) / HOP + 1;
    private static final int BINS = FFT / 2 + 1;
    private static final int HIDDEN = 128;
    /** in channels, out channels, stride of each encoder convolution (kernel 3, padding 1). */
    private static final int[][] ENCODER = { { BINS, 128, 1 }, { 128, 64, 2 }, { 64, 64, 2 }, { 64, HIDDEN, 1 } };
    private static final int KERNEL = 3;

    private final Path file;
    private final float[] stftBasis;
    private final float[][] encoderWeights = new float[ENCODER.length][];
    private final float[][] encoderBiases = new float[ENCODER.length][];
    private final float[] inputWeights;
    private final float[] inputBias;
    private final float[] hiddenWeights;
    private final float[] hiddenBias;
    private final float[] outputWeights;
    private final float outputBias;
    private volatile boolean closed;

    private SileroVad(Path file, Map<String, float[]> tensors) {
        this.file = file;
        stftBasis = tensors.get("_model.stft.forward_basis_buffer");
        for (int i = 0; i < ENCODER.length; i++) {
            encoderWeights[i] = tensors.get("_model.encoder." + i + ".reparam_conv.weight");
            encoderBiases[i] = tensors.get("_model.encoder." + i + ".reparam_conv.bias");
        }
        inputWeights = tensors.get("_model.decoder.rnn.weight_ih");
        inputBias = tensors.get("_model.decoder.rnn.bias_ih");
        hiddenWeights = tensors.get("_model.decoder.rnn.weight_hh");
        hiddenBias = tensors.get("_model.decoder.rnn.bias_hh");
        outputWeights = tensors.get("_model.decoder.decoder.2.weight");
        outputBias = tensors.get("_model.decoder.decoder.2.bias")[0];
    }

    /**
     * Reads a Silero VAD v6 model in whisper.cpp's ggml format.
     *
     * @throws ModelException naming the file when it is missing, unreadable, truncated, or not that network
     */
    public static SileroVad load(Path file) {
        Path model = file.toAbsolutePath().normalize();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new ModelException("Cannot read the VAD model " + model + ": " + e, e);
        }
        try {
            return new SileroVad(model, new Reader(model, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN))
                    .tensors());
        } catch (BufferUnderflowException e) {
            throw new ModelException("The VAD model " + model + " is truncated", e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public int frameSamples() {
        return FRAME;
    }

    @Override
    public FrameClassifier newClassifier() {
        checkOpen();
        return new Classifier();
    }

    /** Refuses further use, also by open classifiers; the weights are plain Java memory. */
    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The VAD model " + file + " is closed");
        }
    }

    @Override
    public String toString() {
        return "SileroVad[" + file + "]";
    }

    /** One stream's LSTM state and scratch buffers. */
    private final class Classifier implements FrameClassifier {
        private final float[] padded = new float[PADDED];
        private final float[][] activations = new float[ENCODER.length + 1][];
        private final float[] column = new float[BINS * KERNEL];
        private final float[] gates = new float[4 * HIDDEN];
        private final float[] h = new float[HIDDEN];
        private final float[] c = new float[HIDDEN];
        private final float[] relu = new float[HIDDEN];
        private boolean open = true;

        Classifier() {
            activations[0] = new float[BINS * STEPS];
            int length = STEPS;
            for (int i = 0; i < ENCODER.length; i++) {
                length = (length + 2 - KERNEL) / ENCODER[i][2] + 1;
                activations[i + 1] = new float[ENCODER[i][1] * length];
            }
        }

        @Override
        public int frameSamples() {
            return FRAME;
        }

        @Override
        public float next(float[] samples, int offset) {
            Objects.checkFromIndexSize(offset, FRAME, samples.length);
            if (!open) {
                throw new IllegalStateException("The classifier is closed");
            }
            checkOpen();
            stft(samples, offset);
            int length = STEPS;
            for (int i = 0; i < ENCODER.length; i++) {
                length = convolve(i, length);
            }
            // the last convolution leaves one step: its 128 channels are the LSTM input
            lstm(activations[ENCODER.length]);
            for (int i = 0; i < HIDDEN; i++) {
                relu[i] = half(Math.max(h[i], 0f));
            }
            return sigmoid(dot(outputWeights, 0, relu, HIDDEN) + outputBias);
        }

        /** Magnitudes of the 129 bins at each of the 4 steps, channel-major like ggml's [4, 129]. */
        private void stft(float[] samples, int offset) {
            for (int i = 0; i < FRAME; i++) {
                padded[REFLECT + i] = half(samples[offset + i]);
            }
            for (int i = 1; i <= REFLECT; i++) {
                padded[REFLECT - i] = padded[REFLECT + i];
                padded[REFLECT + FRAME - 1 + i] = padded[REFLECT + FRAME - 1 - i];
            }
            float[] magnitudes = activations[0];
            for (int step = 0; step < STEPS; step++) {
                int start = step * HOP;
                for (int bin = 0; bin < BINS; bin++) {
                    float re = dotAt(stftBasis, bin * FFT, padded, start, FFT);
                    float im = dotAt(stftBasis, (bin + BINS) * FFT, padded, start, FFT);
                    magnitudes[bin * STEPS + step] = (float) Math.sqrt(re * re + im * im);
                }
            }
        }

        /** Encoder layer {@code layer} on an input of {@code length} steps; returns the output's length. */
        private int convolve(int layer, int length) {
            int in = ENCODER[layer][0];
            int out = ENCODER[layer][1];
            int stride = ENCODER[layer][2];
            float[] input = activations[layer];
            float[] output = activations[layer + 1];
            float[] weights = encoderWeights[layer];
            float[] bias = encoderBiases[layer];
            int outLength = (length + 2 - KERNEL) / stride + 1;
            int width = in * KERNEL;
            for (int t = 0; t < outLength; t++) {
                // ggml's im2col: the receptive field of step t, zero outside the input, as half floats
                for (int ic = 0; ic < in; ic++) {
                    for (int k = 0; k < KERNEL; k++) {
                        int position = t * stride + k - 1;
                        column[ic * KERNEL + k] = position >= 0 && position < length ? half(input[ic * length + position])
                                : 0f;
                    }
                }
                for (int oc = 0; oc < out; oc++) {
                    output[oc * outLength + t] = Math.max(dot(weights, oc * width, column, width) + bias[oc], 0f);
                }
            }
            return outLength;
        }

        private void lstm(float[] x) {
            for (int row = 0; row < 4 * HIDDEN; row++) {
                float input = dot(inputWeights, row * HIDDEN, x, HIDDEN) + inputBias[row];
                float hidden = dot(hiddenWeights, row * HIDDEN, h, HIDDEN) + hiddenBias[row];
                gates[row] = input + hidden;
            }
            for (int i = 0; i < HIDDEN; i++) {
                float inputGate = sigmoid(gates[i]);
                float forgetGate = sigmoid(gates[HIDDEN + i]);
                float cellGate = (float) Math.tanh(gates[2 * HIDDEN + i]);
                float outputGate = sigmoid(gates[3 * HIDDEN + i]);
                c[i] = forgetGate * c[i] + inputGate * cellGate;
                h[i] = outputGate * (float) Math.tanh(c[i]);
            }
        }

        @Override
        public void reset() {
            Arrays.fill(h, 0f);
            Arrays.fill(c, 0f);
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private static float dot(float[] weights, int offset, float[] x, int n) {
        return dotAt(weights, offset, x, 0, n);
    }

    /** Four partial sums, so that the JIT can overlap the multiplications (a float sum cannot be reordered). */
    private static float dotAt(float[] a, int aOffset, float[] b, int bOffset, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOffset + i] * b[bOffset + i];
            s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
            s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
            s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOffset + i] * b[bOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** Rounds to the nearest half-precision float, as ggml converts convolution inputs. */
    private static float half(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }

    /** Reads whisper.cpp's Silero ggml file; see {@code whisper_vad_init_with_params}. */
    private static final class Reader {
        private final Path file;
        private final ByteBuffer in;

        Reader(Path file, ByteBuffer in) {
            this.file = file;
            this.in = in;
        }

        Map<String, float[]> tensors() {
            if (in.remaining() < 4 || in.getInt() != GGML_MAGIC) {
                throw corrupt("it does not start with the ggml magic");
            }
            int typeLength = in.getInt();
            if (typeLength < 0 || typeLength > in.remaining()) {
                throw corrupt("model type length " + typeLength);
            }
            byte[] type = new byte[typeLength];
            in.get(type);
            String modelType = new String(type, StandardCharsets.UTF_8);
            int major = in.getInt();
            in.getInt(); // minor
            in.getInt(); // patch
            int window = in.getInt();
            in.getInt(); // context: whisper.cpp does not use it
            if (!modelType.equals("silero-16k") || major != 6 || window != FRAME) {
                throw corrupt("it is a '" + modelType + "' model, version " + major + ", window " + window
                        + "; expected silero-16k, version 6, window " + FRAME);
            }
            int layers = in.getInt();
            if (layers != ENCODER.length) {
                throw corrupt(layers + " encoder layers, expected " + ENCODER.length);
            }
            for (int[] layer : ENCODER) {
                expect("encoder layer sizes", in.getInt(), layer[0]);
                expect("encoder layer sizes", in.getInt(), layer[1]);
                expect("encoder kernel size", in.getInt(), KERNEL);
            }
            expect("LSTM input size", in.getInt(), HOP);
            expect("LSTM hidden size", in.getInt(), HIDDEN);
            expect("final convolution input", in.getInt(), HIDDEN);
            expect("final convolution output", in.getInt(), 1);

            Map<String, int[]> shapes = new HashMap<>();
            shapes.put("_model.stft.forward_basis_buffer", new int[] { FFT, 1, 2 * BINS });
            for (int i = 0; i < ENCODER.length; i++) {
                shapes.put("_model.encoder." + i + ".reparam_conv.weight",
                        new int[] { KERNEL, ENCODER[i][0], ENCODER[i][1] });
                shapes.put("_model.encoder." + i + ".reparam_conv.bias", new int[] { ENCODER[i][1] });
            }
            shapes.put("_model.decoder.rnn.weight_ih", new int[] { HIDDEN, 4 * HIDDEN });
            shapes.put("_model.decoder.rnn.weight_hh", new int[] { HIDDEN, 4 * HIDDEN });
            shapes.put("_model.decoder.rnn.bias_ih", new int[] { 4 * HIDDEN });
            shapes.put("_model.decoder.rnn.bias_hh", new int[] { 4 * HIDDEN });
            shapes.put("_model.decoder.decoder.2.weight", new int[] { HIDDEN });
            shapes.put("_model.decoder.decoder.2.bias", new int[] {});

            Map<String, float[]> tensors = new HashMap<>();
            while (in.hasRemaining()) {
                int dims = in.getInt();
                int nameLength = in.getInt();
                int ggmlType = in.getInt();
                if (dims < 0 || dims > 4 || nameLength < 0 || nameLength > in.remaining()) {
                    throw corrupt("a tensor header is invalid (" + dims + " dimensions, name length " + nameLength + ")");
                }
                long elements = 1;
                int[] shape = new int[dims];
                for (int d = 0; d < dims; d++) {
                    shape[d] = in.getInt();
                    elements *= Math.max(shape[d], 0);
                }
                byte[] name = new byte[nameLength];
                in.get(name);
                String tensor = new String(name, StandardCharsets.UTF_8);
                int[] expected = shapes.get(tensor);
                if (expected == null || tensors.containsKey(tensor)) {
                    throw corrupt("unexpected tensor '" + tensor + "'");
                }
                if (!Arrays.equals(trimOnes(shape), trimOnes(expected))) {
                    throw corrupt("tensor '" + tensor + "' has shape " + Arrays.toString(shape) + ", expected "
                            + Arrays.toString(expected));
                }
                float[] values = new float[(int) elements];
                if (ggmlType == GGML_F32) {
                    in.asFloatBuffer().get(values);
                    in.position(in.position() + values.length * Float.BYTES);
                } else if (ggmlType == GGML_F16) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = Float.float16ToFloat(in.getShort());
                    }
                } else {
                    throw corrupt("tensor '" + tensor + "' has ggml type " + ggmlType + ", expected F32 or F16");
                }
                tensors.put(tensor, values);
            }
            if (!tensors.keySet().equals(shapes.keySet())) {
                throw corrupt("tensors are missing: " + shapes.keySet().stream().filter(t -> !tensors.containsKey(t))
                        .sorted().toList());
            }
            return tensors;
        }

        /** ggml pads shapes with trailing 1s: [128] and [128, 1] are the same tensor. */
        private static int[] trimOnes(int[] shape) {
            int n = shape.length;
            while (n > 0 && shape[n - 1] == 1) {
                n--;
            }
            return Arrays.copyOf(shape, n);
        }

        private void expect(String what, int actual, int expected) {
            if (actual != expected) {
                throw corrupt(what + " is " + actual + ", expected " + expected);
            }
        }

        private ModelException corrupt(String detail) {
            return new ModelException("The VAD model " + file + " is not a Silero VAD v6 ggml model: " + detail);
        }
    }
}
