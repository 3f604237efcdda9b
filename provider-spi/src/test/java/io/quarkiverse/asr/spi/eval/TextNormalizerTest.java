package io.quarkiverse.asr.spi.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {

    @Test
    void caseAndPunctuationGo() {
        assertThat(TextNormalizer.normalize("And so, my fellow Americans: ask NOT what your country can do for you!"))
                .isEqualTo("and so my fellow americans ask not what your country can do for you");
        assertThat(TextNormalizer.normalize("¿Cierto? «Sí» — (quizá) [ruido] \"ok\"…"))
                .isEqualTo("cierto sí quizá ruido ok");
    }

    @Test
    void apostrophesStayOnlyInsideWords() {
        assertThat(TextNormalizer.normalize("Don’t say ‘this’, it's the students' neighbor's 'n' rock"))
                .isEqualTo("don't say this it's the students neighbor's n rock");
    }

    @Test
    void hyphensAndOtherJoinersSplitWords() {
        assertThat(TextNormalizer.normalize("a whole-number ratio, self–love, U.S.A. and/or e-mail"))
                .isEqualTo("a whole number ratio self love u s a and or e mail");
    }

    @Test
    void unicodeIsNormalisedAndLettersOfEveryScriptKept() {
        assertThat(TextNormalizer.normalize("ＡＢＣ ﬁne Für die GROẞEN Straßen, été, 東京"))
                .isEqualTo("abc fine für die großen straßen été 東京");
        // decomposed é (e + U+0301) composes to the same word
        assertThat(TextNormalizer.words("e\u0301te\u0301")).containsExactly("été");
    }

    @Test
    void whitespaceIsCollapsedAndEmptyTextHasNoWords() {
        assertThat(TextNormalizer.words("  one\t two\n\nthree  ")).containsExactly("one", "two", "three");
        assertThat(TextNormalizer.words("")).isEmpty();
        assertThat(TextNormalizer.words(" ... ?! ")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0                 | zero",
            "10                | ten",
            "19 20 21 99       | nineteen twenty twenty one ninety nine",
            "100 101 110       | one hundred one hundred one one hundred ten",
            "1961              | one thousand nine hundred sixty one",
            "1,250             | one thousand two hundred fifty",
            "999999            | nine hundred ninety nine thousand nine hundred ninety nine",
            "1000000           | one zero zero zero zero zero zero",
            "007               | zero zero seven",
            "2.05              | two point zero five",
            "1st 2nd 3rd 4th   | first second third fourth",
            "12th 20th 21st    | twelfth twentieth twenty first",
            "100th 1000th      | one hundredth one thousandth",
            "25 to 30 years    | twenty five to thirty years",
            "3:2 6-6           | three two six six",
            "$5, 50% and mp3   | five fifty and mp3",
            "in 1961.          | in one thousand nine hundred sixty one" })
    void numbersAreSpelledInEnglish(String text, String expected) {
        assertThat(TextNormalizer.normalize(text)).isEqualTo(expected);
    }
}
