package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Cutting speech out of audio and mapping times back, as whisper.cpp's VAD step does. */
class SpeechAudioTest {

    /** The speech Silero v6.2.0 finds in jfk.wav (11 s), in centiseconds. */
    private static final List<SpeechSegment> JFK_SPEECH = List.of(new SpeechSegment(32, 227),
            new SpeechSegment(327, 441), new SpeechSegment(538, 768), new SpeechSegment(816, 1062));

    /** 11 s whose every sample holds its own index, so the cut shows where each sample came from. */
    private static final float[] NUMBERED = numbered(11 * 16_000);

    private static float[] numbered(int length) {
        float[] samples = new float[length];
        for (int i = 0; i < length; i++) {
            samples[i] = i;
        }
        return samples;
    }

    @Test
    void joinsSpeechWithOverlapAndSilence() {
        SpeechAudio speech = SpeechAudio.cut(NUMBERED, JFK_SPEECH, 0.1f);

        // 0.32-2.27 s plus 0.1 s overlap, 0.1 s silence, 3.27-4.41 + 0.1, silence, 5.38-7.68 + 0.1, silence, 8.16-10.62
        int[] lengths = { 32_800, 19_840, 38_400, 39_360 };
        assertEquals(Arrays.stream(lengths).sum() + 3 * 1_600, speech.samples().length);
        assertEquals(5_120f, speech.samples()[0]);
        assertEquals(5_120f + 32_799, speech.samples()[32_799]);
        assertArrayEquals(new float[1_600], Arrays.copyOfRange(speech.samples(), 32_800, 34_400));
        assertEquals(52_320f, speech.samples()[34_400]);
        assertEquals(169_919f, speech.samples()[speech.samples().length - 1]);
    }

    @Test
    void mapsTimesBackToTheOriginal() {
        SpeechAudio speech = SpeechAudio.cut(NUMBERED, JFK_SPEECH, 0.1f);

        assertEquals(32, speech.toOriginal(0));
        assertEquals(32, speech.toOriginal(-5));
        // the first segment with its overlap (2.05 s) is stretched onto 0.32-2.27
        assertEquals(227, speech.toOriginal(205));
        assertEquals(32 + 100 * 195 / 205, speech.toOriginal(100));
        // the 0.1 s of silence spans the original gap 2.27-3.27
        assertEquals(277, speech.toOriginal(210));
        assertEquals(327, speech.toOriginal(215));
        // after the end: the end of the last speech
        assertEquals(1062, speech.toOriginal(100_000));
    }

    @Test
    void nothingToCutWithoutSpeech() {
        SpeechAudio speech = SpeechAudio.cut(NUMBERED, List.of(), 0.1f);

        assertTrue(speech.isEmpty());
        assertEquals(123, speech.toOriginal(123));
    }

    @Test
    void speechAtTheVeryEndIsClampedToTheAudio() {
        SpeechAudio speech = SpeechAudio.cut(NUMBERED, List.of(new SpeechSegment(1000, 1200)), 0.1f);

        assertEquals(16_000 - 1, speech.samples().length);
        assertEquals(160_000f, speech.samples()[0]);
    }
}
