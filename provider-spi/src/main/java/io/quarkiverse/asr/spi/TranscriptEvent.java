package io.quarkiverse.asr.spi;

/** What a live transcription emits. */
public sealed interface TranscriptEvent {

    /** Text for audio still in progress: a later event may revise it. */
    record Partial(Segment segment) implements TranscriptEvent {
    }

    /** A segment that will not change any more. */
    record Final(Segment segment) implements TranscriptEvent {
    }
}
