package io.quarkiverse.asr.spi;

/** Features a provider may offer; see {@link ProviderInfo#capabilities()}. */
public enum Capability {
    /** {@link AsrProvider#transcribe(AudioInput, TranscriptionOptions)}. */
    FILE_TRANSCRIPTION,
    /** {@link AsrProvider#transcribe(io.smallrye.mutiny.Multi, StreamingOptions)}. */
    STREAMING,
    /** Translating speech into English text. */
    TRANSLATION,
    /** Detecting the spoken language when none is given. */
    LANGUAGE_DETECTION,
    /** Start and end times per segment. */
    SEGMENT_TIMESTAMPS,
    /** Start and end times and probabilities per word. */
    WORD_TIMESTAMPS,
    /** Conditioning the decoder on an initial prompt. */
    INITIAL_PROMPT,
    /** Beam-search decoding. */
    BEAM_SEARCH
}
