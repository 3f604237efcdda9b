package io.quarkiverse.asr.whisper.natives;

/**
 * Hooks called by whisper.cpp on the thread running {@link WhisperState#full}, while decoding goes on.
 * <p>
 * Keep them short: they block the decoder. An exception thrown by a callback never reaches native code:
 * it is kept, whisper.cpp is asked to stop, and {@code full} rethrows it once the native call returned.
 */
public interface FullCallbacks {

    /** No callbacks: whisper.cpp runs without upcalls. */
    FullCallbacks NONE = new FullCallbacks() {
    };

    /** A segment was finished; called once per segment, in order. */
    default void onNewSegment(SegmentData segment) {
    }

    /** Progress through the audio, 0 to 100, reported at the start of each 30 s window. */
    default void onProgress(int percent) {
    }

    /**
     * Polled after each encoder and decoder step; returning true stops the call, which then throws
     * {@link WhisperAbortedException}. In whisper.cpp 1.7.1 a running step is not interrupted, so the call
     * ends after the current step (at most one encoder pass).
     */
    default boolean shouldAbort() {
        return false;
    }
}
