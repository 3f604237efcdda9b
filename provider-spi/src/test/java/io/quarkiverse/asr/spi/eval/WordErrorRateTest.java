package io.quarkiverse.asr.spi.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordErrorRateTest {

    /** The reference text of jfk.wav, from the shared data's README. */
    private static final String JFK = "And so my fellow Americans, ask not what your country can do for you,"
            + " ask what you can do for your country.";

    @ParameterizedTest
    @ValueSource(strings = {
            "And so my fellow Americans, ask not what your country can do for you,"
                    + " ask what you can do for your country.",
            " and so my fellow americans ask not what your country can do for you"
                    + " ask what you can do for your country",
            "AND SO, MY FELLOW AMERICANS: ASK NOT WHAT YOUR COUNTRY CAN DO FOR YOU;"
                    + " ASK WHAT YOU CAN DO FOR YOUR COUNTRY!",
            "And so, my fellow Americans... ask not what your country can do for you --"
                    + " ask what you can do for your country?",
            "“And so my fellow Americans, ask not what your country can do for you,"
                    + " ask what you can do for your country.”",
            "And so my fellow Americans,\nask not what your country can do for you;\n\t"
                    + "ask what you can do for your country." })
    void punctuationAndCaseDoNotCount(String hypothesis) {
        assertThat(WordErrorRate.of(JFK, hypothesis)).isEqualTo(new WordErrorRate(0, 0, 0, 22));
        assertThat(WordErrorRate.of(JFK, hypothesis).wer()).isZero();
    }

    @Test
    void substitutionsDeletionsAndInsertionsAreCountedFromTheAlignment() {
        // "so" → "go", "fellow" missing, "all" extra
        WordErrorRate wer = WordErrorRate.of(JFK, "and go my Americans ask not what your country can do for you all,"
                + " ask what you can do for your country");
        assertThat(wer).isEqualTo(new WordErrorRate(1, 1, 1, 22));
        assertThat(wer.wer()).isEqualTo(3 / 22.0);

        assertThat(WordErrorRate.of("the cat sat on the mat", "the cat sit on mat"))
                .isEqualTo(new WordErrorRate(1, 1, 0, 6));
        assertThat(WordErrorRate.of("a b c", "x a b c y")).isEqualTo(new WordErrorRate(0, 0, 2, 3));
        assertThat(WordErrorRate.of("a b c d", "d c b a")).isEqualTo(new WordErrorRate(4, 0, 0, 4));
        assertThat(WordErrorRate.of("a b c", "")).isEqualTo(new WordErrorRate(0, 3, 0, 3));
        assertThat(WordErrorRate.of("a b c", "").wer()).isEqualTo(1.0);
        assertThat(WordErrorRate.of("one two", "one two three four five").wer()).isEqualTo(1.5);
    }

    @Test
    void equalCostAlignmentsPreferSubstitutionsToDeletionsAndInsertions() {
        // "a b" → "c": substituting one word and deleting the other, not deleting both and inserting one
        assertThat(WordErrorRate.of("a b", "c")).isEqualTo(new WordErrorRate(1, 1, 0, 2));
        assertThat(WordErrorRate.of("a", "b c")).isEqualTo(new WordErrorRate(1, 0, 1, 1));
    }

    @Test
    void numbersMatchTheirSpelling() {
        assertThat(WordErrorRate.of("go forward ten meters", "Go forward 10 meters.").wer()).isZero();
        assertThat(WordErrorRate.of("by 25 to 30 years", "by twenty-five to thirty years").wer()).isZero();
        assertThat(WordErrorRate.of("Beauty’s rose", "beauty's rose").wer()).isZero();
    }

    @Test
    void anEmptyReferenceScoresZeroOnlyAgainstAnEmptyHypothesis() {
        assertThat(WordErrorRate.of("", "").wer()).isZero();
        assertThat(WordErrorRate.of(" ?! ", "").wer()).isZero();
        assertThat(WordErrorRate.of("", "uh huh")).isEqualTo(new WordErrorRate(0, 0, 2, 0));
        assertThat(WordErrorRate.of("", "uh huh").wer()).isEqualTo(1.0);
    }

    @Test
    void wordListsAreComparedAsGiven() {
        assertThat(WordErrorRate.of(List.of("Hello", "world"), List.of("hello", "world")))
                .isEqualTo(new WordErrorRate(1, 0, 0, 2));
    }

    @Test
    void corpusRateAddsCountsBeforeDividing() {
        WordErrorRate total = WordErrorRate.of("a b c d", "a b c d").plus(WordErrorRate.of("e f", "e"));
        assertThat(total).isEqualTo(new WordErrorRate(0, 1, 0, 6));
        assertThat(total.wer()).isEqualTo(1 / 6.0);
        assertThatThrownBy(() -> new WordErrorRate(2, 1, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
