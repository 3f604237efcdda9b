package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.Token;
import io.quarkiverse.asr.spi.Word;

class WordFoldingTest {

    private static Token token(String text, float p, int startCentis, int endCentis) {
        return new Token(0, text, p, Duration.ofMillis(startCentis * 10L), Duration.ofMillis(endCentis * 10L));
    }

    @Test
    void leadingSpaceStartsAWordAndOtherTokensContinueIt() {
        List<Word> words = WhisperResults.foldWords(List.of(
                token(" And", 0.9f, 0, 30),
                token(" so", 0.8f, 30, 50),
                token(" my", 0.7f, 50, 70),
                token(" fel", 0.6f, 70, 90),
                token("low", 0.4f, 90, 110),
                token(" Americans", 0.5f, 110, 180),
                token(",", 0.3f, 180, 185)));

        assertThat(words).extracting(Word::text).containsExactly("And", "so", "my", "fellow", "Americans,");
        Word fellow = words.get(3);
        assertThat(fellow.start()).isEqualTo(Duration.ofMillis(700));
        assertThat(fellow.end()).isEqualTo(Duration.ofMillis(1100));
        assertThat(fellow.probability()).isEqualTo(0.5f);
        assertThat(words.get(4).probability()).isEqualTo(0.4f);
    }

    @Test
    void firstTokenStartsAWordEvenWithoutSpace() {
        List<Word> words = WhisperResults.foldWords(List.of(token("Hello", 1f, 0, 10), token(" world", 1f, 10, 20)));
        assertThat(words).extracting(Word::text).containsExactly("Hello", "world");
    }

    @Test
    void noTokensNoWords() {
        assertThat(WhisperResults.foldWords(List.of())).isEmpty();
    }
}
