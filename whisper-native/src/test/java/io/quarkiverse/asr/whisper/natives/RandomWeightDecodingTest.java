package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;

/**
 * Decoding with the seeded random-weight model, which (unlike the shared test-sized models) emits long,
 * audio-dependent token streams with timestamps: segments, tokens and the new-segment callback are checked on
 * non-trivial output.
 */
class RandomWeightDecodingTest {

    @TempDir
    static Path dir;

    static WhisperContext context;

    @BeforeAll
    static void generate() throws java.io.IOException {
        Path model = RandomWeightModel.write(TestData.TINY_EN, dir.resolve("random-weights.bin"), 42);
        context = WhisperLibrary.bundled().loadModel(model, ContextParams.defaults());
    }

    @AfterAll
    static void free() {
        context.close();
    }

    private static FullResult transcribe(Path wav, FullCallbacks callbacks) {
        try (WhisperState state = context.newState()) {
            return state.full(TestData.pcm16kMono(wav), FullParams.builder().threads(1).tokenTimestamps(true).build(),
                    callbacks);
        }
    }

    @Test
    void emitsTimestampedSegmentsThatDependOnTheAudio() {
        FullResult jfk = transcribe(TestData.JFK, FullCallbacks.NONE);
        assertTrue(jfk.segments().size() >= 3, "segments: " + jfk.segments().size());
        long tokens = jfk.segments().stream().mapToLong(s -> s.tokens().stream().filter(t -> !t.special()).count()).sum();
        assertTrue(tokens >= 30, "text tokens: " + tokens);
        long previousEnd = 0;
        for (SegmentData segment : jfk.segments()) {
            assertTrue(segment.t0Centis() >= previousEnd && segment.t1Centis() >= segment.t0Centis(), segment.toString());
            assertTrue(segment.t1Centis() <= 1100, segment.toString());
            previousEnd = segment.t1Centis();
        }
        FullResult other = transcribe(TestData.SHARED.resolve("audio/synthetic/s01.wav"), FullCallbacks.NONE);
        assertNotEquals(jfk.text(), other.text());
        assertEquals(jfk.text(), transcribe(TestData.JFK, FullCallbacks.NONE).text(), "deterministic");
    }

    @Test
    void newSegmentCallbackDeliversEverySegmentInOrder() {
        List<SegmentData> streamed = new ArrayList<>();
        FullResult result = transcribe(TestData.JFK, new FullCallbacks() {
            @Override
            public void onNewSegment(SegmentData segment) {
                streamed.add(segment);
            }
        });
        assertEquals(result.segments().stream().map(SegmentData::text).toList(),
                streamed.stream().map(SegmentData::text).toList());
    }
}
