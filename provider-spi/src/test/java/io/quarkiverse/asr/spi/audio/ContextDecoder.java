package io.quarkiverse.asr.spi.audio;

/**
 * A decoder registered only in a class loader made by a test, to show that decoders are found through the thread's
 * context class loader: "CTXT" followed by anything decodes to one 16 kHz sample of 0.5.
 */
public class ContextDecoder implements AudioDecoder {

    @Override
    public boolean accepts(byte[] head) {
        return head.length >= 4 && head[0] == 'C' && head[1] == 'T' && head[2] == 'X' && head[3] == 'T';
    }

    @Override
    public PcmAudio decode(byte[] data) {
        return new PcmAudio(new float[] { 0.5f }, 16000);
    }
}
