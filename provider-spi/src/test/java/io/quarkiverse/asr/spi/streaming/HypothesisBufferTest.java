package io.quarkiverse.asr.spi.streaming;

import static io.quarkiverse.asr.spi.streaming.Words.seconds;
import static io.quarkiverse.asr.spi.streaming.Words.texts;
import static io.quarkiverse.asr.spi.streaming.Words.w;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class HypothesisBufferTest {

    private final HypothesisBuffer buffer = new HypothesisBuffer(2, 0.6f, Duration.ZERO);

    @Test
    void theFirstHypothesisConfirmsNothingAndTheSecondConfirmsWhatBothSay() {
        assertThat(buffer.insert(List.of(w("And", 0, 0.3), w("so", 0.4, 0.6), w("my", 0.7, 0.9)))).isEmpty();
        assertThat(texts(buffer.tentative())).containsExactly("And", "so", "my");

        List<String> confirmed = texts(buffer.insert(List.of(w("And", 0, 0.3), w("so", 0.4, 0.6), w("my", 0.7, 0.95),
                w("fellow", 1.0, 1.3))));

        assertThat(confirmed).containsExactly("And", "so", "my");
        assertThat(texts(buffer.tentative())).containsExactly("fellow");
        assertThat(buffer.confirmedEnd()).as("the newer hypothesis' times are kept").isEqualTo(seconds(0.95));
    }

    @Test
    void aRevisedTailIsConfirmedOnlyWhereTwoHypothesesAgree() {
        buffer.insert(List.of(w("ask", 0, 0.3), w("not", 0.4, 0.6), w("what", 0.7, 0.9)));
        assertThat(texts(buffer.insert(List.of(w("ask", 0, 0.3), w("what", 0.4, 0.6), w("you", 0.7, 0.9)))))
                .containsExactly("ask");
        assertThat(texts(buffer.tentative())).containsExactly("what", "you");

        // "ask" again, at its old time, is already confirmed: only what follows it counts
        assertThat(texts(buffer.insert(List.of(w("ask", 0, 0.3), w("what", 0.4, 0.6), w("you", 0.7, 0.9),
                w("can", 1.0, 1.2))))).containsExactly("what", "you");
        assertThat(texts(buffer.tentative())).containsExactly("can");
    }

    @Test
    void wordsAgreeByTheirNormalisedTextAndTheNewerSpellingIsConfirmed() {
        buffer.insert(List.of(w("Hello,", 0, 0.3), w("world", 0.4, 0.6)));
        assertThat(texts(buffer.insert(List.of(w("hello", 0, 0.3), w("world.", 0.4, 0.6)))))
                .containsExactly("hello", "world.");
    }

    @Test
    void wordsTheEngineRepeatsAtTheSeamWithDriftedTimesAreDropped() {
        buffer.insert(List.of(w("fellow", 1.0, 1.2), w("Americans", 1.2, 1.5)));
        assertThat(texts(buffer.insert(List.of(w("fellow", 1.0, 1.2), w("Americans", 1.2, 1.5), w("ask", 1.7, 1.9)))))
                .containsExactly("fellow", "Americans");

        // "Americans" comes back starting after the end of the confirmed text minus 100 ms: a repeat, not a new word
        assertThat(texts(buffer.insert(List.of(w("Americans", 1.45, 1.6), w("ask", 1.75, 1.9), w("not", 2.0, 2.2)))))
                .containsExactly("ask");
        assertThat(texts(buffer.tentative())).containsExactly("not");
    }

    @Test
    void aRepeatedPairAtTheSeamIsDroppedAsAPair() {
        buffer.insert(List.of(w("fellow", 1.0, 1.2), w("Americans", 1.2, 1.5)));
        buffer.insert(List.of(w("fellow", 1.0, 1.2), w("Americans", 1.2, 1.5)));

        buffer.insert(List.of(w("fellow", 1.42, 1.6), w("Americans", 1.6, 1.8), w("ask", 1.9, 2.1)));
        assertThat(texts(buffer.tentative())).containsExactly("ask");
    }

    @Test
    void aRepetitionThatStartsASecondOrMoreAfterTheConfirmedTextIsKept() {
        buffer.insert(List.of(w("again", 0, 0.4)));
        buffer.insert(List.of(w("again", 0, 0.4)));

        buffer.insert(List.of(w("again", 1.5, 1.9)));
        assertThat(texts(buffer.insert(List.of(w("again", 1.5, 1.9))))).containsExactly("again");
        assertThat(texts(buffer.confirmedInBuffer())).containsExactly("again", "again");
    }

    @Test
    void anEmptyHypothesisLeavesNothingToAgreeWith() {
        buffer.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5)));
        assertThat(buffer.insert(List.of())).isEmpty();
        assertThat(buffer.tentative()).isEmpty();
        assertThat(buffer.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5)))).isEmpty();
        assertThat(texts(buffer.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5))))).containsExactly("a", "b");
    }

    @Test
    void theAgreementCountSetsHowManyHypothesesMustAgree() {
        HypothesisBuffer three = new HypothesisBuffer(3, 0.6f, Duration.ZERO);
        assertThat(three.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5)))).isEmpty();
        assertThat(three.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5)))).isEmpty();
        assertThat(texts(three.insert(List.of(w("a", 0, 0.2), w("c", 0.3, 0.5))))).containsExactly("a");
        // b and c disagree: one more "c" is not enough, two more are
        assertThat(three.insert(List.of(w("a", 0, 0.2), w("c", 0.3, 0.5)))).isEmpty();
        assertThat(texts(three.insert(List.of(w("a", 0, 0.2), w("c", 0.3, 0.5))))).containsExactly("c");

        HypothesisBuffer one = new HypothesisBuffer(1, 0.6f, Duration.ZERO);
        assertThat(texts(one.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5))))).containsExactly("a", "b");
        assertThat(texts(one.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5), w("c", 0.6, 0.8)))))
                .containsExactly("c");
        assertThat(one.tentative()).isEmpty();
    }

    @Test
    void confirmingBeforeATimeTakesTheLatestWordsAsTheyStand() {
        buffer.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5), w("c", 0.6, 0.8)));
        assertThat(texts(buffer.confirmBefore(seconds(0.4)))).containsExactly("a", "b");
        assertThat(buffer.confirmedEnd()).isEqualTo(seconds(0.5));
        assertThat(texts(buffer.tentative())).containsExactly("c");
        assertThat(texts(buffer.insert(List.of(w("c", 0.6, 0.8))))).containsExactly("c");

        assertThat(texts(buffer.dropConfirmedBefore(seconds(0.5)))).containsExactly("a", "b");
        assertThat(texts(buffer.confirmedInBuffer())).containsExactly("c");
    }

    /** Words squeezed into a window's end, guessed beyond the audio, are not confirmed, agreed or not. */
    @Test
    void wordsEndingAfterTheBoundAreNotConfirmed() {
        buffer.insert(List.of(w("he", 0, 0.3), w("painted", 0.3, 0.8), w("the", 0.99, 0.99), w("sink", 0.99, 0.99)));

        assertThat(texts(buffer.insert(List.of(w("he", 0, 0.3), w("painted", 0.3, 0.8), w("the", 1.2, 1.5),
                w("sink", 1.99, 1.99)), seconds(1.8)))).containsExactly("he", "painted", "the");
        assertThat(texts(buffer.tentative())).containsExactly("sink");
    }

    /**
     * A model that hears the start of a sentence badly says the same wrong words in two windows running, but unsure of
     * them: agreement waits for a hypothesis that is sure of them, and confirms what follows them only then.
     */
    @Test
    void wordsTheEngineIsUnsureOfWaitForASurerHypothesis() {
        buffer.insert(List.of(w("library", 0, 0.4, 0.16f), w("closes", 0.5, 0.9, 0.88f)));
        assertThat(buffer.insert(List.of(w("library", 0, 0.4, 0.10f), w("closes", 0.5, 0.9, 0.39f),
                w("early", 1.0, 1.3, 0.95f)))).isEmpty();
        assertThat(texts(buffer.tentative())).containsExactly("library", "closes", "early");

        assertThat(texts(buffer.insert(List.of(w("the", 0, 0.2, 0.95f), w("concert", 0.3, 0.9, 0.97f),
                w("was", 1.0, 1.3, 0.99f))))).isEmpty();
        assertThat(texts(buffer.insert(List.of(w("the", 0, 0.2, 0.99f), w("concert", 0.3, 0.9, 0.99f),
                w("was", 1.0, 1.3, 0.45f), w("cancelled", 1.4, 2.0, 0.99f))))).containsExactly("the", "concert");
    }

    /** Engines that give no probability ({@code NaN}) are not held back, and 0 turns the check off. */
    @Test
    void wordsWithoutProbabilityOrWithTheCheckOffAreConfirmedByAgreementAlone() {
        buffer.insert(List.of(w("a", 0, 0.2)));
        assertThat(texts(buffer.insert(List.of(w("a", 0, 0.2), w("b", 0.3, 0.5))))).containsExactly("a");

        HypothesisBuffer unchecked = new HypothesisBuffer(2, 0f, Duration.ZERO);
        unchecked.insert(List.of(w("a", 0, 0.2, 0.01f)));
        assertThat(texts(unchecked.insert(List.of(w("a", 0, 0.2, 0f), w("b", 0.3, 0.5, 0f))))).containsExactly("a");
    }
}
