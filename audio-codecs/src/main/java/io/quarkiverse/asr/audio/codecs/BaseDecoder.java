package io.quarkiverse.asr.audio.codecs;

import java.util.Objects;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.audio.AudioDecoder;
import io.quarkiverse.asr.spi.audio.AudioMemoryBudget;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.PcmOutput;

/**
 * What every decoder here shares: limits, and the guarantee that anything going wrong while decoding
 * untrusted bytes comes out as an {@link UnsupportedAudioException} with a reason. Stateless, so thread-safe.
 */
abstract sealed class BaseDecoder implements AudioDecoder
        permits Mp3Decoder, FlacDecoder, OggDecoder, Mp4Decoder, AdtsDecoder, MatroskaDecoder {

    private final CodecLimits limits;

    /** Limits read from the system properties at each decode. */
    BaseDecoder() {
        this.limits = null;
    }

    BaseDecoder(CodecLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Short name used in error messages, e.g. "MP3". */
    abstract String format();

    /** Decodes into {@code work.out} through {@link PcmSink}s. */
    abstract void decode(byte[] data, Work work);

    /** Decodes at the stream's own rate, drawing on the global audio memory budget. */
    @Override
    public final PcmAudio decode(byte[] data) {
        try (PcmOutput out = PcmOutput.atStreamRate(format())) {
            decode(data, out);
            return out.finish();
        }
    }

    @Override
    public final void decode(byte[] data, PcmOutput out) {
        if (data == null || data.length == 0) {
            throw new UnsupportedAudioException(format() + ": no audio data (empty input)");
        }
        Work work = new Work(format(), limits != null ? limits : CodecLimits.fromSystemProperties(), out);
        guarded(work, () -> decode(data, work));
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}, turning every failure of the codec libraries into an UnsupportedAudioException. */
    static void guarded(Work work, Body body) {
        try {
            body.run();
        } catch (AsrException e) {
            throw e; // UnsupportedAudioException with a reason, OverloadedException or CancelledException
        } catch (OutOfMemoryError e) {
            throw new UnsupportedAudioException(work.format + ": decoding needs more memory than is available"
                    + " (lower " + AudioMemoryBudget.PROPERTY + " or " + CodecLimits.MAX_DURATION_PROPERTY
                    + ", or give the JVM more heap)", e);
        } catch (StackOverflowError e) {
            throw new UnsupportedAudioException(work.format + ": the data is corrupt (decoder recursion too deep)", e);
        } catch (LinkageError e) {
            throw new UnsupportedAudioException(work.format + ": the codec library is missing from the class path ("
                    + Work.describe(e) + "); see docs/audio-formats.md", e);
        } catch (Exception | AssertionError e) {
            // AssertionError: Concentus checks its invariants with explicit "throw new AssertionError"
            throw new UnsupportedAudioException(work.format + ": the data is corrupt or uses an unsupported feature ("
                    + Work.describe(e) + ")", e);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + format() + "]";
    }
}
