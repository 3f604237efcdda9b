package io.quarkiverse.asr.whisper.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Token;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.whisper.natives.SegmentData;
import io.quarkiverse.asr.whisper.natives.TokenData;

/** Turns whisper.cpp segments into SPI segments, folding tokens into words. */
final class WhisperResults {

    private WhisperResults() {
    }

    /**
     * Segment times are clamped into the audio, {@code audio} long: whisper.cpp 1.7.1 ends a segment decoded without
     * timestamps at the end of its 30 s window and starts the first one at -1007.26 s (the timestamp it never
     * sampled), and a last window's timestamps can run past the audio. Token times are clamped into the segment:
     * whisper.cpp estimates them from 0 s on when a window's first segment starts later (after a prompt, for one),
     * which put words before their segment.
     */
    static Segment toSegment(SegmentData segment, boolean words, Duration audio) {
        long length = audio.toMillis() / 10;
        long from = Math.clamp(segment.t0Centis(), 0, length);
        long to = Math.clamp(segment.t1Centis(), from, length);
        List<Token> tokens = new ArrayList<>(segment.tokens().size());
        for (TokenData token : segment.tokens()) {
            if (!token.special()) {
                long start = Math.clamp(token.t0Centis(), from, to);
                tokens.add(new Token(token.id(), token.text(), token.p(), centis(start),
                        centis(Math.clamp(token.t1Centis(), start, to))));
            }
        }
        return new Segment(centis(from), centis(to), segment.text(), tokens,
                words ? foldWords(tokens) : List.of());
    }

    /**
     * Whisper's BPE tokens carry the space before a word, so a token starting with a space (or the first token)
     * starts a word and the following tokens without one continue it. A word's probability is the mean of its tokens'.
     */
    static List<Word> foldWords(List<Token> tokens) {
        List<Word> words = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Duration start = null;
        Duration end = null;
        float probabilitySum = 0;
        int count = 0;
        for (Token token : tokens) {
            boolean startsWord = token.text().startsWith(" ") || start == null;
            if (startsWord && !text.isEmpty()) {
                words.add(new Word(start, end, text.toString(), probabilitySum / count));
                text.setLength(0);
                probabilitySum = 0;
                count = 0;
                start = null;
            }
            if (start == null) {
                start = token.start();
            }
            text.append(token.text().strip());
            end = token.end();
            probabilitySum += token.probability();
            count++;
        }
        if (!text.isEmpty()) {
            words.add(new Word(start, end, text.toString(), probabilitySum / count));
        }
        return words;
    }

    private static Duration centis(long centiseconds) {
        return Duration.ofMillis(centiseconds * 10);
    }
}
