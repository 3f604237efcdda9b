package io.quarkiverse.asr.audio.codecs;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import net.sourceforge.jaad.aac.Decoder;

/**
 * AAC (LC, and HE-AAC with SBR and PS) access units to PCM through JAAD, in the javasound-aac fork, whose
 * perceptual noise substitution works (in the older JAAD releases its random generator collapses to zero
 * and every frame using noise substitution, common at low bit rates, comes out silent).
 */
final class AacCodec {

    /**
     * JAAD logs truncated frames (with a stack trace) and odd configurations as warnings, which would let
     * hostile input flood the application's log; failures are reported through UnsupportedAudioException
     * instead. JAAD sets the levels of some of its loggers when their classes load, so the classes are loaded
     * first and the levels raised afterwards, unless JAAD's own debug switch (system property
     * {@code net.sourceforge.jaad.debug}) is on. Held here so that the loggers are not garbage collected.
     */
    private static final List<Logger> JAAD_LOGS = new java.util.ArrayList<>();

    static {
        if (!Boolean.getBoolean("net.sourceforge.jaad.debug")) {
            for (String c : new String[] { "net.sourceforge.jaad.aac.Decoder", "net.sourceforge.jaad.aac.tools.ICPrediction" }) {
                try {
                    Class.forName(c, true, Decoder.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // a JAAD version without that class: nothing to quieten
                }
            }
            for (String name : new String[] { "jaad", "jaad.aac.Decoder", "jaad.aac.tools.ICPrediction" }) {
                Logger log = Logger.getLogger(name);
                if (name.equals("jaad") && log.getLevel() != null) {
                    continue; // configured by the application
                }
                log.setLevel(Level.SEVERE);
                JAAD_LOGS.add(log);
            }
        }
    }

    private static final int[] RATES = { 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000,
            7350 };
    /** JAAD's output scale. */
    private static final float SCALE = 1f / 32768f;

    private final Decoder decoder;
    private int lastFrames = 1024;
    // the output of the frame being decoded
    private float[][] planes = new float[0][];
    private int frames;
    private int rate;

    /** @param asc the AudioSpecificConfig (MPEG-4 DecoderSpecificInfo) */
    AacCodec(byte[] asc, Work work) {
        if (asc == null || asc.length < 2) {
            throw work.fail("missing AAC decoder configuration");
        }
        try {
            decoder = Decoder.create(asc);
        } catch (Exception e) {
            throw work.fail("unsupported AAC configuration (" + Work.describe(e) + ")");
        }
    }

    /** An AudioSpecificConfig for a plain object type, sampling frequency index and channel configuration. */
    static byte[] asc(int objectType, int rateIndex, int channelConfig) {
        int v = (objectType << 11) | (rateIndex << 7) | (channelConfig << 3);
        return new byte[] { (byte) (v >>> 8), (byte) v };
    }

    /** The sampling frequency index of {@code rate}, or -1. */
    static int rateIndex(int rate) {
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == rate) {
                return i;
            }
        }
        return -1;
    }

    /** Decodes one access unit into the sink; a corrupt one becomes silence of the previous frame's length. */
    void decode(byte[] frame, PcmSink sink, Work work) {
        frames = 0;
        try {
            decoder.decodeFrame(frame, this::accept);
        } catch (Exception | AssertionError e) {
            work.bad(e);
            sink.silence(lastFrames);
            return;
        }
        if (frames <= 0) {
            work.bad("truncated AAC frame");
            sink.silence(lastFrames);
            return;
        }
        if (!sink.hasRate()) {
            sink.sampleRate(rate);
        } else if (sink.sampleRate() != rate) {
            work.bad("sample rate changes within the stream");
            sink.silence(lastFrames);
            return;
        }
        sink.planar(planes, null, planes.length, frames, SCALE);
        lastFrames = frames;
        work.good();
    }

    /** JAAD's output: one array per channel; with SBR they may differ in length, as in JAAD's own sample buffer. */
    private void accept(List<float[]> samples, int length, int sampleRate) {
        int channels = samples.size();
        if (channels == 0 || length <= 0 || length > 8192 || sampleRate <= 0) {
            return;
        }
        if (planes.length != channels || planes[0].length < length) {
            planes = new float[channels][Math.max(length, 2048)];
        }
        for (int c = 0; c < channels; c++) {
            float[] src = samples.get(c);
            float[] dst = planes[c];
            if (src.length == length) {
                System.arraycopy(src, 0, dst, 0, length);
            } else {
                for (int i = 0; i < length; i++) {
                    dst[i] = src[(int) ((long) src.length * i / length)];
                }
            }
        }
        frames = length;
        rate = sampleRate;
    }
}
