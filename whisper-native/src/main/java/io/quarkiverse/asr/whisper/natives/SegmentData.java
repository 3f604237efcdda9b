package io.quarkiverse.asr.whisper.natives;

import java.util.List;

/**
 * One transcribed segment.
 *
 * @param index position of the segment in the result, from 0
 * @param t0Centis start in centiseconds (10 ms) from the beginning of the audio
 * @param t1Centis end in centiseconds
 * @param text the segment's text, decoded from whisper.cpp's UTF-8 bytes
 * @param tokens the segment's tokens, special ones included
 */
public record SegmentData(int index, long t0Centis, long t1Centis, String text, List<TokenData> tokens) {

    public SegmentData {
        tokens = List.copyOf(tokens);
    }
}
