package io.quarkiverse.asr.spi.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Silero's segmentation rules on scripted probabilities; 512-sample windows are 32 ms. */
class SpeechSegmentsTest {

    private static final VadParameters DEFAULTS = VadParameters.defaults();

    /** {@code windows} windows of silence (0.05), speech (0.9) from {@code from} to {@code to} (exclusive). */
    private static float[] speech(int windows, int... fromTo) {
        float[] probabilities = new float[windows];
        Arrays.fill(probabilities, 0.05f);
        for (int i = 0; i < fromTo.length; i += 2) {
            Arrays.fill(probabilities, fromTo[i], fromTo[i + 1], 0.9f);
        }
        return probabilities;
    }

    @Test
    void speechIsPaddedAndRoundedToCentiseconds() {
        // windows 10 to 30: 0.32 s to 0.96 s, padded by 30 ms
        assertThat(SpeechSegments.of(speech(100, 10, 30), 512, DEFAULTS)).containsExactly(new SpeechSegment(0.29, 0.99));
    }

    @Test
    void shortSpeechIsDropped() {
        // 7 windows = 224 ms < 250 ms
        assertThat(SpeechSegments.of(speech(100, 10, 17), 512, DEFAULTS)).isEmpty();
        assertThat(SpeechSegments.of(speech(100, 10, 18), 512, DEFAULTS)).hasSize(1);
    }

    @Test
    void aShortSilenceDoesNotEndSpeechAndCloseSegmentsMerge() {
        // 2 windows (64 ms) of silence: under the 100 ms minimum
        assertThat(SpeechSegments.of(speech(100, 10, 30, 32, 50), 512, DEFAULTS))
                .containsExactly(new SpeechSegment(0.29, 1.63));
        // 5 windows (160 ms): ends speech, but the gap is under 200 ms, so the segments merge
        assertThat(SpeechSegments.of(speech(100, 10, 30, 35, 50), 512, DEFAULTS))
                .containsExactly(new SpeechSegment(0.29, 1.63));
        // 10 windows (320 ms): two segments, each padded
        assertThat(SpeechSegments.of(speech(100, 10, 30, 40, 60), 512, DEFAULTS))
                .containsExactly(new SpeechSegment(0.29, 0.99), new SpeechSegment(1.25, 1.95));
    }

    @Test
    void closeNeighboursShareTheGapInsteadOfOverlapping() {
        VadParameters widePadding = new VadParameters(0.5f, 250, 100, Float.MAX_VALUE, 300);
        // the 320 ms gap is under twice 300 ms: each side takes half
        assertThat(SpeechSegments.of(speech(100, 10, 30, 40, 60), 512, widePadding))
                .containsExactly(new SpeechSegment(0.02, 1.12), new SpeechSegment(1.12, 2.22));
    }

    @Test
    void speechUntilTheEndEndsWithTheAudio() {
        assertThat(SpeechSegments.of(speech(50, 40, 50), 512, DEFAULTS)).containsExactly(new SpeechSegment(1.25, 1.6));
    }

    /**
     * Over-long speech is split at its last pause of 98 ms or more. Without such a pause whisper.cpp cuts it, but
     * its merging step joins the pieces again (they are one window apart), and so does this.
     */
    @Test
    void overLongSpeechIsSplitAtAPause() {
        VadParameters twoSecondsLongSilence = new VadParameters(0.5f, 250, 1000, 2f, 30);
        VadParameters longSilence = new VadParameters(0.5f, 250, 1000, Float.MAX_VALUE, 30);
        float[] pause = speech(200, 10, 60, 70, 150);
        assertThat(SpeechSegments.of(pause, 512, twoSecondsLongSilence))
                .containsExactly(new SpeechSegment(0.29, 1.95), new SpeechSegment(2.21, 4.83));
        assertThat(SpeechSegments.of(pause, 512, longSilence)).containsExactly(new SpeechSegment(0.29, 4.83));
        assertThat(SpeechSegments.of(speech(300, 10, 290), 512, twoSecondsLongSilence))
                .containsExactly(new SpeechSegment(0.29, 9.6));
    }

    @Test
    void thresholdsAreParameters() {
        float[] probabilities = speech(100);
        Arrays.fill(probabilities, 20, 40, 0.4f);
        assertThat(SpeechSegments.of(probabilities, 512, DEFAULTS)).isEmpty();
        assertThat(SpeechSegments.of(probabilities, 512, new VadParameters(0.35f, 250, 100, Float.MAX_VALUE, 30)))
                .hasSize(1);
    }

    @Test
    void refusesInvalidParameters() {
        assertThatThrownBy(() -> new VadParameters(1.5f, 250, 100, 1f, 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> new VadParameters(Float.NaN, 250, 100, 1f, 30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VadParameters(0.5f, -1, 100, 1f, 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> new VadParameters(0.5f, 250, 100, 0f, 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSpeechDurationSeconds");
        assertThatThrownBy(() -> SpeechSegments.of(new float[1], 0, DEFAULTS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpeechSegment(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
