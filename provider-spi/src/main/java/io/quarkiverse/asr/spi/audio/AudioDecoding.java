package io.quarkiverse.asr.spi.audio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.AudioTooLargeException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;

/**
 * Turns any {@link AudioInput} into mono samples at a requested rate.
 * <p>
 * Encoded audio is decoded and converted to that rate block by block into a {@link PcmOutput}, whose samples are
 * reserved in the {@linkplain AudioMemoryBudget#global() global audio memory budget} while decoding lasts, and which
 * stops the decode when the caller's cancellation hook says the result is no longer wanted.
 * <p>
 * Encoded audio goes to the first decoder whose {@link AudioDecoder#accepts(byte[])} recognises its first bytes:
 * the built-in {@link WavDecoder}, then the {@link AudioDecoder}s registered with {@link ServiceLoader}, looked up
 * through the thread's context class loader (as Quarkus applications need) and this library's own.
 */
public final class AudioDecoding {

    /** More than the 64 bytes decoders may rely on, so that they can look past leading tags or padding. */
    private static final int HEAD_LENGTH = 4096;
    private static final AudioDecoder WAV = new WavDecoder();
    private static final System.Logger LOG = System.getLogger(AudioDecoding.class.getName());

    /**
     * The decoders found for the last context class loader seen: one lookup per application, and a restarted
     * application (Quarkus dev mode) gets its own decoders instead of pinning the previous class loader.
     */
    private static volatile Decoders decoders;

    private AudioDecoding() {
    }

    /**
     * Decodes {@code input} to mono at {@code sampleRate}, resampling as needed; never cancelled but by interrupting
     * the thread.
     *
     * @see #decode(AudioInput, int, BooleanSupplier)
     */
    public static PcmAudio decode(AudioInput input, int sampleRate) {
        return decode(input, sampleRate, () -> false);
    }

    /**
     * Decodes {@code input} to mono at {@code sampleRate}, resampling as needed, and stops with
     * {@link CancelledException} soon after {@code cancelled} turns true.
     * <p>
     * Decoded {@link AudioInput.Samples} already at that rate are returned without a copy.
     *
     * @throws UnsupportedAudioException when the file cannot be read, no decoder recognises the data, the data is
     *         corrupt, or it holds no samples
     * @throws AudioTooLargeException when the decoded audio would exceed the whole audio memory budget
     * @throws OverloadedException when it does not fit beside the decodes in progress
     * @throws CancelledException when {@code cancelled} turned true or the thread was interrupted
     * @throws IllegalArgumentException when {@code sampleRate} is not positive
     */
    public static PcmAudio decode(AudioInput input, int sampleRate, BooleanSupplier cancelled) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
        if (input instanceof AudioInput.Samples samples && samples.samples().length > 0
                && samples.sampleRate() == sampleRate) {
            return new PcmAudio(samples.samples(), sampleRate);
        }
        try (PcmOutput out = new PcmOutput(sampleRate, cancelled, AudioMemoryBudget.global(), input.name())) {
            switch (input) {
                case AudioInput.File file -> decodeBytes(read(file.path()), file.name(), out);
                case AudioInput.Encoded encoded -> decodeBytes(encoded.bytes(), encoded.name(), out);
                case AudioInput.Samples samples -> {
                    out.start(samples.sampleRate());
                    out.write(samples.samples(), 0, samples.samples().length);
                }
            }
            return out.finish();
        }
    }

    /**
     * Reads raw interleaved signed 16-bit little-endian PCM, averaging the channels; a trailing partial frame is
     * ignored.
     *
     * @throws IllegalArgumentException when the rate is outside 1 kHz..1 MHz or {@code channels} is not positive
     */
    public static PcmAudio fromS16le(byte[] data, int sampleRate, int channels) {
        if (sampleRate < WavDecoder.MIN_RATE || sampleRate > WavDecoder.MAX_RATE || channels <= 0) {
            throw new IllegalArgumentException("need a rate of 1 kHz to 1 MHz and at least one channel, got "
                    + sampleRate + " Hz and " + channels + " channel(s)");
        }
        int frames = data.length / 2 / channels;
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] mono = new float[frames];
        WavDecoder.toMono(in, 0, mono, frames, channels, WavDecoder.Encoding.S16);
        return new PcmAudio(mono, sampleRate);
    }

    private static byte[] read(Path path) {
        try {
            if (Files.size(path) > Integer.MAX_VALUE - 8) {
                throw new UnsupportedAudioException("audio file " + path + " is larger than 2 GB");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UnsupportedAudioException("audio file not found: " + path, e);
        } catch (IOException e) {
            throw new UnsupportedAudioException("cannot read audio file " + path + ": " + e, e);
        }
    }

    private static void decodeBytes(byte[] data, String name, PcmOutput out) {
        if (data.length == 0) {
            throw new UnsupportedAudioException(name + ": no samples (empty input)");
        }
        byte[] head = Arrays.copyOf(data, Math.min(data.length, HEAD_LENGTH));
        List<AudioDecoder> candidates = new ArrayList<>();
        candidates.add(WAV);
        candidates.addAll(installed());
        for (AudioDecoder decoder : candidates) {
            if (decoder.accepts(head)) {
                try {
                    decoder.decode(data, out);
                    return;
                } catch (AudioTooLargeException e) {
                    throw e; // named already, and a 413 rather than a 400
                } catch (UnsupportedAudioException e) {
                    throw new UnsupportedAudioException(name + ": " + e.getMessage(), e);
                } catch (AsrException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A decoder tripping over its input is almost always corrupt data, the caller's problem
                    throw new UnsupportedAudioException(name + ": " + decoder.getClass().getName() + " failed: " + e,
                            e);
                }
            }
        }
        List<String> supported = new ArrayList<>(List.of("WAV (PCM, float)"));
        installed().forEach(d -> supported.add(d.formats()));
        throw new UnsupportedAudioException(name + ": unrecognised audio format" + guess(head) + "; supported: "
                + String.join(", ", supported));
    }

    /** Names formats people commonly send, so the message says what is missing rather than only "unrecognised". */
    private static String guess(byte[] head) {
        String ascii = new String(head, 0, Math.min(head.length, 12), StandardCharsets.ISO_8859_1);
        String format;
        if (ascii.startsWith("fLaC")) {
            format = "FLAC";
        } else if (ascii.startsWith("OggS")) {
            format = "Ogg";
        } else if (ascii.startsWith("ID3") || head.length > 1 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0) {
            format = "MPEG audio (MP3, AAC)";
        } else if (ascii.startsWith("ftyp", 4)) {
            format = "MP4/M4A";
        } else if (ascii.startsWith("\u001A\u0045\u00DF\u00A3")) {
            format = "WebM/Matroska";
        } else {
            return "";
        }
        return " (looks like " + format + ", for which no decoder is installed)";
    }

    private static List<AudioDecoder> installed() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        Decoders current = decoders;
        if (current == null || current.loader != context) {
            current = new Decoders(context, load(context));
            decoders = current;
        }
        return current.list;
    }

    private static List<AudioDecoder> load(ClassLoader context) {
        ClassLoader own = AudioDecoder.class.getClassLoader();
        List<AudioDecoder> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ClassLoader loader : context == null || context == own ? List.of(own) : List.of(context, own)) {
            Iterator<AudioDecoder> it = ServiceLoader.load(AudioDecoder.class, loader).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    AudioDecoder decoder = it.next();
                    if (seen.add(decoder.getClass().getName())) {
                        found.add(decoder);
                    }
                } catch (ServiceConfigurationError e) {
                    // One broken registration must not take every other format down with it
                    LOG.log(Level.WARNING, "skipping an audio decoder that cannot be loaded", e);
                }
            }
        }
        return List.copyOf(found);
    }

    private record Decoders(ClassLoader loader, List<AudioDecoder> list) {
    }
}
