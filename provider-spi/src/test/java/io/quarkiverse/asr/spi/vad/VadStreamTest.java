package io.quarkiverse.asr.spi.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkiverse.asr.spi.vad.VadEvent.SpeechEnded;
import io.quarkiverse.asr.spi.vad.VadEvent.SpeechStarted;

/** Live detection: on scripted probabilities for the rules, and with the Silero model on real speech. */
class VadStreamTest {

    private static SileroVad silero;

    @BeforeAll
    static void load() {
        silero = SileroVad.load(SileroVadTest.MODEL);
    }

    @AfterAll
    static void close() {
        silero.close();
    }

    /** Plays back one probability per 512-sample window, whatever the samples. */
    private static final class Scripted implements FrameClassifier {
        private final float[] probabilities;
        private int next;
        private boolean closed;

        Scripted(float[] probabilities) {
            this.probabilities = probabilities;
        }

        @Override
        public int frameSamples() {
            return 512;
        }

        @Override
        public float next(float[] samples, int offset) {
            return next < probabilities.length ? probabilities[next++] : 0f;
        }

        @Override
        public void reset() {
            next = 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static float[] speech(int windows, int from, int to) {
        float[] probabilities = new float[windows];
        Arrays.fill(probabilities, 0.05f);
        Arrays.fill(probabilities, from, to, 0.9f);
        return probabilities;
    }

    /** Events with the number of samples received when each came. */
    private static List<String> feed(VadStream stream, int windows) {
        List<String> timeline = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            for (VadEvent event : stream.accept(new float[512])) {
                timeline.add(event + " after " + (i + 1));
            }
        }
        return timeline;
    }

    @Test
    void speechIsReportedOnceItLastedTheMinimumAndEndsAfter200MsOfSilence() {
        Scripted script = new Scripted(speech(100, 10, 30));
        try (VadStream stream = new VadStream(script, VadParameters.defaults())) {
            // starts at window 10 (0.32 s) less 30 ms; certain after 250 ms, in window 17 (8 windows of speech)
            // ends at window 30 (0.96 s) plus 30 ms; certain after 200 ms of silence, in window 36
            assertThat(feed(stream, 100)).containsExactly(new SpeechStarted(0.29) + " after 18",
                    new SpeechEnded(0.99) + " after 37");
            assertThat(stream.finish()).isEmpty();
            assertThat(stream.received()).isEqualTo(3.2);
        }
        assertThat(script.closed).isTrue();
    }

    @Test
    void shortBlipsAndShortPausesAreIgnored() {
        float[] probabilities = speech(100, 10, 15);
        Arrays.fill(probabilities, 40, 60, 0.9f);
        probabilities[50] = 0.05f;
        try (VadStream stream = new VadStream(new Scripted(probabilities), VadParameters.defaults())) {
            List<String> timeline = feed(stream, 100);
            assertThat(timeline).hasSize(2);
            assertThat(timeline.get(0)).startsWith(new SpeechStarted(40 * 0.032 - 0.03).toString());
            assertThat(timeline.get(1)).startsWith(new SpeechEnded(60 * 0.032 + 0.03).toString());
        }
    }

    @Test
    void speechOpenAtTheEndEndsWithTheAudio() {
        try (VadStream stream = new VadStream(new Scripted(speech(100, 40, 100)), VadParameters.defaults())) {
            feed(stream, 60);
            stream.accept(new float[100]);
            assertThat(stream.finish()).containsExactly(new SpeechEnded((60 * 512 + 100) / 16_000.0));
            assertThatThrownBy(() -> stream.accept(new float[1])).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void overLongSpeechIsCut() {
        VadParameters oneSecond = new VadParameters(0.5f, 250, 100, 1f, 30);
        try (VadStream stream = new VadStream(new Scripted(speech(200, 0, 200)), oneSecond)) {
            List<VadEvent> events = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                events.addAll(stream.accept(new float[512]));
            }
            events.addAll(stream.finish());
            assertThat(events).hasSizeGreaterThanOrEqualTo(12);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i)).isInstanceOf(i % 2 == 0 ? SpeechStarted.class : SpeechEnded.class);
                if (i % 2 == 1) {
                    assertThat(events.get(i).at() - events.get(i - 1).at()).isLessThanOrEqualTo(1.04);
                }
            }
        }
    }

    /** Any chunking of jfk.wav gives the same events, which bracket the offline segments. */
    @ParameterizedTest
    @ValueSource(ints = { 7, 160, 512, 1000, 16_000, 80_000 })
    void jfkInChunks(int chunk) {
        float[] jfk = SileroVadTest.pcm("jfk.wav");
        List<VadEvent> events = new ArrayList<>();
        try (VadStream stream = silero.openStream(VadParameters.defaults())) {
            for (int i = 0; i < jfk.length; i += chunk) {
                events.addAll(stream.accept(Arrays.copyOfRange(jfk, i, Math.min(jfk.length, i + chunk))));
            }
            events.addAll(stream.finish());
        }
        List<SpeechSegment> offline = silero.detectSpeech(jfk, VadParameters.defaults());
        assertThat(events).hasSize(2 * offline.size());
        for (int i = 0; i < offline.size(); i++) {
            assertThat(events.get(2 * i)).isInstanceOf(SpeechStarted.class);
            assertThat(events.get(2 * i).at()).isCloseTo(offline.get(i).start(), within(0.02));
            assertThat(events.get(2 * i + 1)).isInstanceOf(SpeechEnded.class);
            assertThat(events.get(2 * i + 1).at()).isCloseTo(offline.get(i).end(), within(0.02));
        }
    }

    @Test
    void silenceGivesNoEvents() {
        try (VadStream stream = silero.openStream(VadParameters.defaults())) {
            for (int i = 0; i < 50; i++) {
                assertThat(stream.accept(new float[1600])).isEmpty();
            }
            assertThat(stream.finish()).isEmpty();
        }
    }
}
