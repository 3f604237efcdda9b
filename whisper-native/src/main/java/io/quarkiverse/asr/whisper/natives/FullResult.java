package io.quarkiverse.asr.whisper.natives;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of {@link WhisperState#full}.
 *
 * @param segments the transcribed segments, in order
 * @param language the language used or detected, as whisper.cpp's short code (e.g. "en"); {@code null} when
 *        the language was to be detected and VAD found no speech
 * @param languageId whisper.cpp's id of {@code language}, -1 with a {@code null} language
 */
public record FullResult(List<SegmentData> segments, String language, int languageId) {

    public FullResult {
        segments = List.copyOf(segments);
    }

    /** All segment texts joined, without leading and trailing white space. */
    public String text() {
        return segments.stream().map(SegmentData::text).collect(Collectors.joining()).strip();
    }
}
