package io.quarkiverse.asr.spi.streaming;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.eval.TextNormalizer;

/**
 * LocalAgreement-n over successive hypotheses of a growing audio buffer (whisper_streaming's {@code HypothesisBuffer},
 * generalised from two to n hypotheses): a word is confirmed once the last n hypotheses agree on it and on every word
 * before it, and the latest hypothesis gives it at least a minimum probability. Words compare by their normalised text,
 * so "Hello," and "hello" agree. Times are on the stream's timeline. Not thread-safe.
 */
final class HypothesisBuffer {

    /** How far before the end of the confirmed text a new word may start and still be taken as new. */
    private static final Duration OVERLAP = Duration.ofMillis(100);
    /** New words that start this close to the end of the confirmed text may repeat it. */
    private static final Duration SEAM = Duration.ofSeconds(1);
    /** The longest run of repeated words looked for at the seam. */
    private static final int MAX_NGRAM = 5;

    private final int agreement;
    private final float minProbability;
    /** The unconfirmed tails of the last {@code agreement - 1} hypotheses, oldest first. */
    private final Deque<List<Word>> tails = new ArrayDeque<>();
    /** Confirmed words whose audio is still in the buffer, to recognise them when the engine repeats them. */
    private final List<Word> confirmedInBuffer = new ArrayList<>();
    private Duration confirmedEnd;

    /**
     * @param agreement how many hypotheses must agree
     * @param minProbability the least probability a word needs in the latest hypothesis to be confirmed by agreement;
     *        a word without one ({@code NaN}) passes
     * @param start where the buffer starts on the stream's timeline
     */
    HypothesisBuffer(int agreement, float minProbability, Duration start) {
        this.agreement = agreement;
        this.minProbability = minProbability;
        this.confirmedEnd = start;
    }

    /** The end of the last confirmed word (the start of the stream before any). */
    Duration confirmedEnd() {
        return confirmedEnd;
    }

    /** Confirmed words whose audio is still in the buffer. */
    List<Word> confirmedInBuffer() {
        return confirmedInBuffer;
    }

    /** The unconfirmed words of the latest hypothesis. */
    List<Word> tentative() {
        return tails.isEmpty() ? List.of() : tails.peekLast();
    }

    /**
     * Takes the engine's latest hypothesis for the whole buffer and returns the words it confirms.
     *
     * @param hypothesis words on the stream's timeline, in order
     */
    List<Word> insert(List<Word> hypothesis) {
        return insert(hypothesis, null);
    }

    /**
     * Takes the engine's latest hypothesis and returns the words it confirms, none of them ending after
     * {@code agreeableUntil}: words there were not heard in full, or were guessed beyond the audio. Confirmation
     * stops at the first word below the minimum probability: what the engine is unsure of waits for a surer
     * hypothesis, even when the hypotheses agree on it.
     *
     * @param hypothesis words on the stream's timeline, in order
     * @param agreeableUntil the latest end of a word this hypothesis may confirm, {@code null} for no bound
     */
    List<Word> insert(List<Word> hypothesis, Duration agreeableUntil) {
        List<Word> fresh = new ArrayList<>();
        Duration after = confirmedEnd.minus(OVERLAP);
        for (Word w : hypothesis) {
            if (w.start().compareTo(after) > 0) {
                fresh.add(w);
            }
        }
        dropRepeatAtSeam(fresh);

        int agreed = 0;
        if (tails.size() >= agreement - 1) {
            while (agreed < fresh.size() && (agreeableUntil == null
                    || fresh.get(agreed).end().compareTo(agreeableUntil) <= 0) && !(fresh.get(agreed).probability() < minProbability)
                    && allTailsHave(agreed, fresh.get(agreed))) {
                agreed++;
            }
        }
        List<Word> confirmed = List.copyOf(fresh.subList(0, agreed));
        List<List<Word>> kept = new ArrayList<>();
        for (List<Word> tail : tails) {
            kept.add(List.copyOf(tail.subList(agreed, tail.size())));
        }
        kept.add(List.copyOf(fresh.subList(agreed, fresh.size())));
        tails.clear();
        tails.addAll(kept.subList(Math.max(0, kept.size() - (agreement - 1)), kept.size()));
        confirm(confirmed);
        return confirmed;
    }

    /**
     * Confirms the leading words of the latest hypothesis that start before {@code time}, agreed or not, and forgets
     * older hypotheses: the way out when the buffer must shrink and nothing agreed lets it.
     */
    List<Word> confirmBefore(Duration time) {
        List<Word> tail = tentative();
        int n = 0;
        while (n < tail.size() && tail.get(n).start().compareTo(time) < 0) {
            n++;
        }
        List<Word> confirmed = List.copyOf(tail.subList(0, n));
        List<Word> rest = List.copyOf(tail.subList(n, tail.size()));
        tails.clear();
        if (agreement > 1) {
            tails.add(rest);
        }
        confirm(confirmed);
        return confirmed;
    }

    /** Forgets confirmed words that end at or before {@code time}, whose audio left the buffer; returns them. */
    List<Word> dropConfirmedBefore(Duration time) {
        int n = 0;
        while (n < confirmedInBuffer.size() && confirmedInBuffer.get(n).end().compareTo(time) <= 0) {
            n++;
        }
        List<Word> dropped = List.copyOf(confirmedInBuffer.subList(0, n));
        confirmedInBuffer.subList(0, n).clear();
        return dropped;
    }

    private void confirm(List<Word> words) {
        if (!words.isEmpty()) {
            confirmedInBuffer.addAll(words);
            confirmedEnd = words.getLast().end();
        }
    }

    private boolean allTailsHave(int index, Word word) {
        String text = TextNormalizer.normalize(word.text());
        for (List<Word> tail : tails) {
            if (index >= tail.size() || !TextNormalizer.normalize(tail.get(index).text()).equals(text)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The engine re-transcribes confirmed audio still in the buffer, and its times drift: when the new words start
     * near the end of the confirmed text with the same 1 to 5 words the confirmed text ends with, those are repeats.
     */
    private void dropRepeatAtSeam(List<Word> fresh) {
        if (fresh.isEmpty() || confirmedInBuffer.isEmpty()
                || fresh.getFirst().start().minus(confirmedEnd).abs().compareTo(SEAM) >= 0) {
            return;
        }
        int longest = Math.min(MAX_NGRAM, Math.min(confirmedInBuffer.size(), fresh.size()));
        for (int n = 1; n <= longest; n++) {
            if (sameWords(confirmedInBuffer.subList(confirmedInBuffer.size() - n, confirmedInBuffer.size()),
                    fresh.subList(0, n))) {
                fresh.subList(0, n).clear();
                return;
            }
        }
    }

    private static boolean sameWords(List<Word> a, List<Word> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!TextNormalizer.normalize(a.get(i).text()).equals(TextNormalizer.normalize(b.get(i).text()))) {
                return false;
            }
        }
        return true;
    }
}
