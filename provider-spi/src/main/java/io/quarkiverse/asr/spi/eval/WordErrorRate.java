package io.quarkiverse.asr.spi.eval;

import java.util.List;

/**
 * The word-level edit counts between a reference transcript and a hypothesis, from a minimum-edit (Levenshtein)
 * alignment; where several alignments are equally short, substitutions are preferred to deletions, and deletions
 * to insertions.
 *
 * @param substitutions reference words replaced by another word
 * @param deletions reference words missing from the hypothesis
 * @param insertions hypothesis words with no counterpart in the reference
 * @param referenceWords the number of words in the reference
 */
public record WordErrorRate(int substitutions, int deletions, int insertions, int referenceWords) {

    private static final int COST = 0;
    private static final int SUBSTITUTIONS = 1;
    private static final int DELETIONS = 2;
    private static final int INSERTIONS = 3;

    public WordErrorRate {
        if (substitutions < 0 || deletions < 0 || insertions < 0 || substitutions + deletions > referenceWords) {
            throw new IllegalArgumentException("inconsistent counts: S=" + substitutions + " D=" + deletions + " I="
                    + insertions + " N=" + referenceWords);
        }
    }

    /** Scores after normalising both texts with {@link TextNormalizer}. */
    public static WordErrorRate of(String reference, String hypothesis) {
        return of(TextNormalizer.words(reference), TextNormalizer.words(hypothesis));
    }

    /** Scores word lists as given, comparing words with {@link String#equals}. */
    public static WordErrorRate of(List<String> reference, List<String> hypothesis) {
        int m = hypothesis.size();
        // Two rows of the edit-distance table; each cell also carries the counts along the path that reached it
        int[][] previous = new int[4][m + 1];
        int[][] current = new int[4][m + 1];
        for (int j = 1; j <= m; j++) {
            step(previous, j - 1, previous, j, 0, 0, 1);
        }
        for (String word : reference) {
            step(previous, 0, current, 0, 0, 1, 0);
            for (int j = 1; j <= m; j++) {
                int mismatch = word.equals(hypothesis.get(j - 1)) ? 0 : 1;
                int diagonal = previous[COST][j - 1] + mismatch;
                int deletion = previous[COST][j] + 1;
                int insertion = current[COST][j - 1] + 1;
                if (diagonal <= deletion && diagonal <= insertion) {
                    step(previous, j - 1, current, j, mismatch, 0, 0);
                } else if (deletion <= insertion) {
                    step(previous, j, current, j, 0, 1, 0);
                } else {
                    step(current, j - 1, current, j, 0, 0, 1);
                }
            }
            int[][] swap = previous;
            previous = current;
            current = swap;
        }
        return new WordErrorRate(previous[SUBSTITUTIONS][m], previous[DELETIONS][m], previous[INSERTIONS][m],
                reference.size());
    }

    /**
     * {@code (S + D + I) / N}. With an empty reference there is nothing to divide by: 0 when the hypothesis is empty
     * too, otherwise 1.
     */
    public double wer() {
        int errors = substitutions + deletions + insertions;
        if (referenceWords == 0) {
            return errors == 0 ? 0 : 1;
        }
        return (double) errors / referenceWords;
    }

    /** Adds the counts of another utterance, for the corpus-level rate (total errors over total reference words). */
    public WordErrorRate plus(WordErrorRate other) {
        return new WordErrorRate(substitutions + other.substitutions, deletions + other.deletions,
                insertions + other.insertions, referenceWords + other.referenceWords);
    }

    private static void step(int[][] from, int fromColumn, int[][] to, int toColumn, int substitution, int deletion,
            int insertion) {
        to[COST][toColumn] = from[COST][fromColumn] + substitution + deletion + insertion;
        to[SUBSTITUTIONS][toColumn] = from[SUBSTITUTIONS][fromColumn] + substitution;
        to[DELETIONS][toColumn] = from[DELETIONS][fromColumn] + deletion;
        to[INSERTIONS][toColumn] = from[INSERTIONS][fromColumn] + insertion;
    }
}
