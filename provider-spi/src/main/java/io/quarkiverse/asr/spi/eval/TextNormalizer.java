package io.quarkiverse.asr.spi.eval;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises transcripts so that a word error rate counts words, not spelling conventions. In order:
 * <ol>
 * <li>Unicode NFKC; typographic apostrophes ({@code ’ ‘ ʼ}) become {@code '}.</li>
 * <li>Lower case ({@link Locale#ROOT}).</li>
 * <li>Numbers written with digits become English words (the number rule is English only): integers 0 to 999 999,
 * with or without thousands commas, as cardinals without "and" ({@code 10} → "ten", {@code 1,250} → "one thousand
 * two hundred fifty"); an ordinal suffix makes the last word ordinal ({@code 21st} → "twenty first"); a decimal
 * point reads "point" and the digits after it one by one ({@code 2.05} → "two point zero five"); larger integers and
 * those with a leading zero are read digit by digit ({@code 007} → "zero zero seven"). A year such as {@code 1961}
 * therefore reads "one thousand nine hundred sixty one", not "nineteen sixty one". Digits glued to letters
 * ({@code mp3}) stay as they are.</li>
 * <li>Every character other than a letter, combining mark, digit or apostrophe separates words: punctuation and
 * symbols disappear, hyphenated words split ({@code whole-number} → "whole number", {@code U.S.} → "u s").</li>
 * <li>An apostrophe stays only inside a word ({@code don't}, {@code neighbor's}); quoting apostrophes go.</li>
 * <li>Words are separated by single spaces.</li>
 * </ol>
 * Filler words ("uh", "um") are kept: they count like any other word.
 */
public final class TextNormalizer {

    private static final Pattern APOSTROPHES = Pattern.compile("[\u2018\u2019\u02BC]");
    private static final String WORD_CHAR = "[\\p{L}\\p{M}\\p{N}]";
    /** Integer part with optional thousands commas, optional decimals, optional ordinal suffix, as a whole word. */
    private static final Pattern NUMBER = Pattern.compile("(?<!" + WORD_CHAR + ")(\\d{1,3}(?:,\\d{3})+|\\d+)"
            + "(?:\\.(\\d+))?(st|nd|rd|th)?(?!" + WORD_CHAR + ")");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{M}\\p{N}']+");
    private static final Pattern OUTER_APOSTROPHES = Pattern.compile(
            "(?<!" + WORD_CHAR + ")'|'(?!" + WORD_CHAR + ")");
    private static final String[] ONES = { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen" };
    private static final String[] TENS = { "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety" };

    private TextNormalizer() {
    }

    /** The normalised words of {@code text}, joined by single spaces. */
    public static String normalize(String text) {
        return String.join(" ", words(text));
    }

    /** The normalised words of {@code text}; empty when it has none. */
    public static List<String> words(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = APOSTROPHES.matcher(s).replaceAll("'").toLowerCase(Locale.ROOT);
        s = NUMBER.matcher(s)
                .replaceAll(m -> Matcher.quoteReplacement(" " + spell(m.group(1), m.group(2), m.group(3)) + " "));
        s = SEPARATORS.matcher(s).replaceAll(" ");
        s = OUTER_APOSTROPHES.matcher(s).replaceAll(" ").strip();
        return s.isEmpty() ? List.of() : List.of(s.split(" +"));
    }

    private static String spell(String integer, String fraction, String ordinalSuffix) {
        String digits = integer.replace(",", "");
        String words = digits.length() > 6 || digits.length() > 1 && digits.charAt(0) == '0' ? digitByDigit(digits)
                : cardinal(Integer.parseInt(digits));
        if (fraction != null) {
            words += " point " + digitByDigit(fraction);
        }
        return ordinalSuffix == null ? words : ordinal(words);
    }

    private static String cardinal(int n) {
        if (n < 1000) {
            return belowThousand(n);
        }
        return belowThousand(n / 1000) + " thousand" + (n % 1000 == 0 ? "" : " " + belowThousand(n % 1000));
    }

    private static String belowThousand(int n) {
        if (n < 20) {
            return ONES[n];
        }
        if (n < 100) {
            return TENS[n / 10] + (n % 10 == 0 ? "" : " " + ONES[n % 10]);
        }
        return ONES[n / 100] + " hundred" + (n % 100 == 0 ? "" : " " + belowThousand(n % 100));
    }

    private static String digitByDigit(String digits) {
        StringBuilder words = new StringBuilder();
        for (char c : digits.toCharArray()) {
            words.append(words.isEmpty() ? "" : " ").append(ONES[c - '0']);
        }
        return words.toString();
    }

    private static String ordinal(String words) {
        int start = words.lastIndexOf(' ') + 1;
        String last = words.substring(start);
        String ordinal = switch (last) {
            case "one" -> "first";
            case "two" -> "second";
            case "three" -> "third";
            case "five" -> "fifth";
            case "eight" -> "eighth";
            case "nine" -> "ninth";
            case "twelve" -> "twelfth";
            default -> last.endsWith("y") ? last.substring(0, last.length() - 1) + "ieth" : last + "th";
        };
        return words.substring(0, start) + ordinal;
    }
}
