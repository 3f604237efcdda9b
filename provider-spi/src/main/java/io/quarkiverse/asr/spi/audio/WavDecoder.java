package io.quarkiverse.asr.spi.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.quarkiverse.asr.spi.UnsupportedAudioException;

/**
 * Decodes uncompressed WAV: RIFF/WAVE, RF64 and BW64 containers holding integer PCM (8-bit unsigned, 16, 24 or
 * 32-bit signed) or IEEE float (32 or 64-bit) samples, plain or as {@code WAVE_FORMAT_EXTENSIBLE}, with any number of
 * channels (averaged to mono) at 1 kHz to 1 MHz. Chunks may come in any order; unknown ones are skipped. A data chunk
 * that claims more bytes than there are, as streaming writers leave it, yields the whole frames present.
 * <p>
 * Compressed WAV codecs (A-law, µ-law, ADPCM, MP3 in WAV...) are rejected. Frames are converted a block at a time
 * into the {@link PcmOutput}, whose memory is reserved from the data chunk's size before any is. Stateless and
 * thread-safe.
 */
public final class WavDecoder implements AudioDecoder {

    static final int MIN_RATE = 1_000;
    static final int MAX_RATE = 1_000_000;

    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;
    /** Bytes 2..15 of every {@code KSDATAFORMAT_SUBTYPE_*} GUID; bytes 0..1 hold the format tag. */
    private static final byte[] SUBTYPE_GUID_TAIL = {
            0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71 };
    private static final long UNKNOWN_SIZE = 0xFFFF_FFFFL;

    @Override
    public boolean accepts(byte[] head) {
        return head.length >= 12 && riffId(head) != null && id(head, 8).equals("WAVE");
    }

    /** Frames converted to mono at a time, so that the input's channels are never all expanded at once. */
    private static final int BLOCK = 8192;

    @Override
    public PcmAudio decode(byte[] data) {
        try (PcmOutput out = PcmOutput.atStreamRate("WAV")) {
            decode(data, out);
            return out.finish();
        }
    }

    @Override
    public void decode(byte[] data, PcmOutput out) {
        if (data.length < 12) {
            throw new UnsupportedAudioException("too short for a WAV file: " + data.length + " bytes");
        }
        String riff = riffId(data);
        if (riff == null || !id(data, 8).equals("WAVE")) {
            throw new UnsupportedAudioException("not a WAV file: no RIFF/WAVE header");
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long riffSize = u32(in, 4);
        long ds64DataSize = -1;
        Format format = null;
        int dataStart = -1;
        long dataSize = 0;
        long pos = 12;
        while (pos + 8 <= data.length) {
            int body = (int) pos + 8;
            String id = id(data, (int) pos);
            long size = u32(in, (int) pos + 4);
            long available = data.length - body;
            switch (id) {
                case "ds64" -> {
                    if (!riff.equals("RIFF") && size >= 16 && available >= 16) {
                        ds64DataSize = in.getLong(body + 8);
                    }
                }
                case "fmt " -> {
                    if (size > available) {
                        throw new UnsupportedAudioException("fmt chunk truncated: " + size + " bytes declared, "
                                + available + " present");
                    }
                    format = Format.parse(in, body, (int) size);
                }
                case "data" -> {
                    dataStart = body;
                    if (size == UNKNOWN_SIZE && ds64DataSize >= 0) {
                        size = ds64DataSize;
                    } else if (size == 0 && available > 0 && (riffSize == UNKNOWN_SIZE || riffSize + 8 <= body)) {
                        // a streaming writer that never came back to fill in the sizes: the audio runs to the end
                        size = available;
                    }
                    dataSize = Math.min(size, available);
                }
                default -> {
                    // LIST, fact, bext, cue, JUNK...: nothing needed for decoding
                }
            }
            pos = size > available ? data.length : body + size + (size & 1);
        }
        if (format == null) {
            throw new UnsupportedAudioException("no fmt chunk in WAV file");
        }
        if (dataStart < 0) {
            throw new UnsupportedAudioException("no data chunk in WAV file");
        }
        int frameBytes = format.channels * format.encoding.bytes;
        int frames = (int) (dataSize / frameBytes);
        out.start(format.sampleRate);
        out.expect(frames);
        float[] block = new float[Math.min(frames, BLOCK)];
        for (int done = 0; done < frames; done += block.length) {
            int n = Math.min(block.length, frames - done);
            if (format.encoding == Encoding.S16 && format.channels == 1) {
                s16Mono(data, dataStart + done * frameBytes, block, n);
            } else {
                toMono(in, dataStart + done * frameBytes, block, n, format.channels, format.encoding);
            }
            out.write(block, 0, n);
        }
    }

    /** Sample encodings, named by their layout in little-endian bytes. */
    enum Encoding {
        U8(1),
        S16(2),
        S24(3),
        S32(4),
        F32(4),
        F64(8);

        final int bytes;

        Encoding(int bytes) {
            this.bytes = bytes;
        }
    }

    /** Averages {@code frames} interleaved little-endian frames starting at {@code offset} into {@code out}. */
    static void toMono(ByteBuffer in, int offset, float[] out, int frames, int channels, Encoding encoding) {
        int p = offset;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++, p += encoding.bytes) {
                sum += switch (encoding) {
                    case U8 -> ((in.get(p) & 0xFF) - 128) / 128.0;
                    case S16 -> in.getShort(p) / 32768.0;
                    case S24 -> ((in.get(p) & 0xFF) | (in.get(p + 1) & 0xFF) << 8 | in.get(p + 2) << 16) / 8388608.0;
                    case S32 -> in.getInt(p) / 2147483648.0;
                    case F32 -> finite(in.getFloat(p));
                    case F64 -> finite(in.getDouble(p));
                };
            }
            out[f] = (float) (sum / channels);
        }
    }

    /**
     * {@link #toMono} for 16-bit mono, the usual input for speech, read from the array: the same samples, without the
     * per-sample switch and {@code ByteBuffer} accessors that cost several times more per sample before the JIT's last
     * tier, which a server's JVM may never reach (C1 only).
     */
    static void s16Mono(byte[] data, int offset, float[] out, int frames) {
        for (int f = 0, p = offset; f < frames; f++, p += 2) {
            out[f] = (float) ((short) (data[p] & 0xFF | data[p + 1] << 8) / 32768.0);
        }
    }

    /** A single NaN or infinity would spread through the resampler's filter to every output sample near it. */
    private static double finite(double sample) {
        return Double.isFinite(sample) ? sample : 0;
    }

    private static String riffId(byte[] data) {
        String id = id(data, 0);
        return id.equals("RIFF") || id.equals("RF64") || id.equals("BW64") ? id : null;
    }

    private static String id(byte[] data, int offset) {
        return new String(data, offset, 4, StandardCharsets.ISO_8859_1);
    }

    private static long u32(ByteBuffer in, int offset) {
        return Integer.toUnsignedLong(in.getInt(offset));
    }

    private record Format(Encoding encoding, int channels, int sampleRate) {

        static Format parse(ByteBuffer in, int offset, int size) {
            if (size < 16) {
                throw new UnsupportedAudioException("fmt chunk too short: " + size + " bytes");
            }
            int tag = in.getShort(offset) & 0xFFFF;
            int channels = in.getShort(offset + 2) & 0xFFFF;
            long sampleRate = u32(in, offset + 4);
            int blockAlign = in.getShort(offset + 12) & 0xFFFF;
            int bits = in.getShort(offset + 14) & 0xFFFF;
            if (tag == EXTENSIBLE) {
                if (size < 40) {
                    throw new UnsupportedAudioException(
                            "WAVE_FORMAT_EXTENSIBLE fmt chunk too short: " + size + " bytes");
                }
                tag = in.getShort(offset + 24) & 0xFFFF;
                for (int i = 0; i < SUBTYPE_GUID_TAIL.length; i++) {
                    if (in.get(offset + 26 + i) != SUBTYPE_GUID_TAIL[i]) {
                        throw new UnsupportedAudioException("unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID");
                    }
                }
            }
            Encoding encoding = switch (tag) {
                case PCM -> switch (bits) {
                    case 8 -> Encoding.U8;
                    case 16 -> Encoding.S16;
                    case 24 -> Encoding.S24;
                    case 32 -> Encoding.S32;
                    default -> throw new UnsupportedAudioException("unsupported PCM sample size: " + bits + " bits");
                };
                case IEEE_FLOAT -> switch (bits) {
                    case 32 -> Encoding.F32;
                    case 64 -> Encoding.F64;
                    default -> throw new UnsupportedAudioException("unsupported float sample size: " + bits + " bits");
                };
                default -> throw new UnsupportedAudioException("unsupported WAV codec: " + codecName(tag)
                        + "; only PCM and IEEE float are supported");
            };
            if (channels == 0) {
                throw new UnsupportedAudioException("WAV declares zero channels");
            }
            if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
                throw new UnsupportedAudioException(
                        "WAV sample rate " + sampleRate + " Hz is outside " + MIN_RATE + ".." + MAX_RATE + " Hz");
            }
            if (blockAlign != channels * encoding.bytes) {
                throw new UnsupportedAudioException("WAV block align " + blockAlign + " does not match " + channels
                        + " channel(s) of " + encoding.bytes + " byte(s)");
            }
            return new Format(encoding, channels, (int) sampleRate);
        }

        private static String codecName(int tag) {
            String code = "format tag 0x" + String.format("%04X", tag);
            return switch (tag) {
                case 0x0002 -> "Microsoft ADPCM (" + code + ")";
                case 0x0006 -> "A-law (" + code + ")";
                case 0x0007 -> "µ-law (" + code + ")";
                case 0x0011 -> "IMA ADPCM (" + code + ")";
                case 0x0031 -> "GSM 6.10 (" + code + ")";
                case 0x0050 -> "MPEG (" + code + ")";
                case 0x0055 -> "MPEG Layer 3 (" + code + ")";
                default -> code;
            };
        }
    }
}
