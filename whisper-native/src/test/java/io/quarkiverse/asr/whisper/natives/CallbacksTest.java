package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Aborting, and exceptions thrown by callbacks, which must come back to the caller and not reach native code. */
class CallbacksTest {

    /** 121 s: five 30 s windows, so a transcription that is not stopped reports progress past 0. */
    private static final float[] LONG_FORM = TestData.pcm16kMono(TestData.LONG_FORM);
    private static final FullParams PARAMS = FullParams.builder().threads(2).build();

    private static WhisperContext context;
    private static WhisperState state;

    @BeforeAll
    static void load() {
        context = WhisperLibrary.bundled().loadModel(TestData.TINY_EN, ContextParams.defaults());
        state = context.newState();
    }

    @AfterAll
    static void close() {
        state.close();
        context.close();
    }

    @Test
    void abortStopsAfterTheFirstStep() {
        AtomicInteger polls = new AtomicInteger();
        List<Integer> progress = new ArrayList<>();

        var e = assertThrows(WhisperAbortedException.class, () -> state.full(LONG_FORM, PARAMS, new FullCallbacks() {
            @Override
            public boolean shouldAbort() {
                polls.incrementAndGet();
                return true;
            }

            @Override
            public void onProgress(int percent) {
                progress.add(percent);
            }
        }));

        assertEquals(1, polls.get(), "whisper.cpp stops at the first true");
        assertEquals(List.of(0), progress, "no second window was started");
        // 1.7.1 reports an abort after the encoder as an encoder failure
        assertEquals(-6, e.code());
        assertEquals("en", state.full(TestData.pcm16kMono(TestData.JFK), PARAMS, FullCallbacks.NONE).language(),
                "the state is usable after an abort");
    }

    @Test
    void abortLaterInTheAudio() {
        List<Integer> progress = new ArrayList<>();
        assertThrows(WhisperAbortedException.class, () -> state.full(LONG_FORM, PARAMS, new FullCallbacks() {
            @Override
            public boolean shouldAbort() {
                return progress.size() >= 2;
            }

            @Override
            public void onProgress(int percent) {
                progress.add(percent);
            }
        }));
        assertEquals(2, progress.size(), progress.toString());
        assertTrue(progress.get(1) > 0 && progress.get(1) < 100, progress.toString());
    }

    @Test
    void anExceptionFromProgressIsRethrownAfterTheCall() {
        var failure = new IllegalStateException("progress listener failed");
        AtomicInteger calls = new AtomicInteger();

        var thrown = assertThrows(IllegalStateException.class, () -> state.full(LONG_FORM, PARAMS, new FullCallbacks() {
            @Override
            public void onProgress(int percent) {
                calls.incrementAndGet();
                throw failure;
            }
        }));

        assertSame(failure, thrown);
        assertEquals(1, calls.get(), "whisper.cpp was stopped after the failing callback");
    }

    @Test
    void anExceptionFromShouldAbortIsRethrownAfterTheCall() {
        var failure = new UnsupportedOperationException("abort check failed");

        var thrown = assertThrows(UnsupportedOperationException.class,
                () -> state.full(LONG_FORM, PARAMS, new FullCallbacks() {
                    @Override
                    public boolean shouldAbort() {
                        throw failure;
                    }
                }));

        assertSame(failure, thrown);
    }

    @Test
    void aCheckedExceptionIsWrapped() {
        var failure = new Exception("checked");

        var thrown = assertThrows(WhisperNativeException.class, () -> state.full(LONG_FORM, PARAMS, new FullCallbacks() {
            @Override
            public void onProgress(int percent) {
                throw sneaky(failure);
            }
        }));

        assertSame(failure, thrown.getCause());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
