package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

/** Downcalls that the public API does not reach (yet). */
class WhisperBindingsTest {

    private final WhisperBindings bindings = WhisperLibrary.bundled().bindings();

    @Test
    void initWithADefaultState() {
        MemorySegment params = bindings.contextDefaultParamsByRef();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = bindings.initFromFileWithParams(arena.allocateFrom(TestData.TINY_EN.toString()),
                    params);
            assertNotEquals(0, ctx.address());
            bindings.free(ctx);
        } finally {
            bindings.freeContextParams(params);
        }
    }

    @Test
    void tokenizeReportsTheCountItNeedsWhenTheBufferIsTooSmall() {
        MemorySegment params = bindings.contextDefaultParamsByRef();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = bindings.initFromFileWithParams(arena.allocateFrom(TestData.TINY_EN.toString()),
                    params);
            try {
                MemorySegment text = arena.allocateFrom("And so my fellow Americans");
                MemorySegment tokens = arena.allocate(ValueLayout.JAVA_INT, 8);
                assertEquals(-5, bindings.tokenize(ctx, text, tokens, 1));
                assertEquals(5, bindings.tokenize(ctx, text, tokens, 8));
                assertEquals(1870, tokens.getAtIndex(ValueLayout.JAVA_INT, 0));
            } finally {
                bindings.free(ctx);
            }
        } finally {
            bindings.freeContextParams(params);
        }
    }

    @Test
    void languageLookups() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(2, bindings.langId(arena.allocateFrom("de")));
            assertEquals(2, bindings.langId(arena.allocateFrom("german")));
            assertEquals(-1, bindings.langId(arena.allocateFrom("xx")));
        }
        assertEquals("de", WhisperBindings.string(bindings.langStr(2)));
        assertEquals(null, WhisperBindings.string(bindings.langStr(10_000)));
        assertEquals(99, bindings.langMaxId());
    }
}
