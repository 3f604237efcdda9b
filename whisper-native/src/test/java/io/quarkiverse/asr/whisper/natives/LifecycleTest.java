package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** Native handles: closing twice, use after close, a state outliving its closed context, and the live counts. */
class LifecycleTest {

    private static final float[] JFK = TestData.pcm16kMono(TestData.JFK);
    private static final FullParams PARAMS = FullParams.builder().threads(2).build();

    private final WhisperLibrary library = WhisperLibrary.bundled();

    @Test
    void closingTwiceIsHarmless() {
        WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
        WhisperState state = context.newState();
        state.close();
        state.close();
        context.close();
        context.close();
    }

    @Test
    void liveCountsFollowWhatIsNotFreedYet() {
        int contexts = WhisperContext.liveCount();
        int states = WhisperState.liveCount();
        WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
        WhisperState state = context.newState();
        assertEquals(contexts + 1, WhisperContext.liveCount());
        assertEquals(states + 1, WhisperState.liveCount());
        context.close();
        // the state holds the model
        assertEquals(contexts + 1, WhisperContext.liveCount());
        state.close();
        assertEquals(states, WhisperState.liveCount());
        assertEquals(contexts, WhisperContext.liveCount());
    }

    @Test
    void useAfterCloseThrows() {
        WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
        WhisperState state = context.newState();
        state.close();
        assertThrows(IllegalStateException.class, () -> state.full(JFK, PARAMS, FullCallbacks.NONE));
        context.close();
        assertThrows(IllegalStateException.class, context::newState);
    }

    @Test
    void aStateKeepsItsModelAliveAfterTheContextIsClosed() {
        WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
        try (WhisperState state = context.newState()) {
            context.close();
            assertEquals("en", state.full(JFK, PARAMS, FullCallbacks.NONE).language());
        }
    }

    @Test
    void aStateRefusesASecondConcurrentTranscription() {
        AtomicReference<RuntimeException> nested = new AtomicReference<>();
        try (WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
                WhisperState state = context.newState()) {
            state.full(JFK, PARAMS, new FullCallbacks() {
                @Override
                public void onProgress(int percent) {
                    if (nested.get() == null) {
                        nested.set(assertThrows(IllegalStateException.class,
                                () -> state.full(JFK, PARAMS, FullCallbacks.NONE)));
                    }
                }
            });
        }
        assertTrue(nested.get().getMessage().contains("already running"), nested.get().getMessage());
    }

    @Test
    void closingDuringATranscriptionFreesAfterIt() {
        WhisperContext context = library.loadModel(TestData.TINY_EN, ContextParams.defaults());
        WhisperState state = context.newState();
        FullResult result = state.full(JFK, PARAMS, new FullCallbacks() {
            @Override
            public void onProgress(int percent) {
                state.close();
                context.close();
            }
        });
        assertEquals("en", result.language());
        assertThrows(IllegalStateException.class, () -> state.full(JFK, PARAMS, FullCallbacks.NONE));
    }

    @Test
    void rejectsBadArguments() {
        try (WhisperContext context = library.loadModel(TestData.TINY, ContextParams.defaults());
                WhisperState state = context.newState()) {
            assertThrows(IllegalArgumentException.class, () -> state.full(new float[0], PARAMS, FullCallbacks.NONE));
            var unknown = assertThrows(IllegalArgumentException.class,
                    () -> state.full(JFK, FullParams.builder().language("klingon").build(), FullCallbacks.NONE));
            assertTrue(unknown.getMessage().contains("klingon"));
        }
        assertThrows(IllegalArgumentException.class, () -> FullParams.builder().beamSize(9).build());
        assertThrows(IllegalArgumentException.class, () -> FullParams.builder().threads(0).build());
        assertThrows(IllegalArgumentException.class, () -> FullParams.builder().strategy(null).build());
    }

    @Test
    void contextParamsReachTheLibrary() {
        // a CPU-only build ignores the GPU settings but must accept them passed by value
        try (WhisperContext context = library.loadModel(TestData.TINY_EN, new ContextParams(false, true, 0));
                WhisperState state = context.newState()) {
            assertEquals("en", state.full(JFK, PARAMS, FullCallbacks.NONE).language());
        }
    }
}
