package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.whisper.natives.testjvm.ForkedJvm;

/**
 * The 1.8.1 family on a real library: the whisper.cpp 1.9.3 build of {@code ../shared/whisper.cpp/1.9.3/}, driven
 * once in a JVM of its own (a process loads one whisper.cpp; see {@link ChildJvm}). Its own defaults read back
 * through the 1.8.1 layout; the test-sized model transcribes jfk.wav with carryInitialPrompt and prompt tokens;
 * Silero finds jfk's speech; the multilingual model ranks every language; the espeak mini model transcribes
 * synthetic sentences to their text, greedy and beam, streaming its segments through the new-segment callback; the
 * abort callback stops decoding. Only Linux x86_64 has that build: skipped elsewhere.
 */
class WhisperCpp193Test {

    private static final List<String> SENTENCES = List.of("s01", "s06", "s23");

    private static ForkedJvm.Result child;

    @BeforeAll
    static void runTheScenario() throws Exception {
        TestData.assumeWhisper193Runs();

        child = ChildJvm.run(NativeOutputAndLoadingTest.NATIVE_ACCESS, "family181", TestData.WHISPER_1_9_3.toString(),
                String.join(",", SENTENCES));

        assertEquals(0, child.exit(), child.toString());
    }

    @Test
    void isLoadedAsA181FamilyUserLibrary() {
        assertEquals(Optional.of("1.9.3-dev"), line("VERSION"), child.toString());
        assertEquals(Optional.of("user"), line("VARIANT"), child.toString());
        assertEquals(Optional.of("V1_8_1"), line("FAMILY"), child.toString());
    }

    /** whisper_full_default_params_by_ref's memory, every field read through the 1.8.1 layout (VAD included). */
    @Test
    void itsDefaultsReadBackThroughThe181Layout() {
        assertTrue(child.stdout().lines().anyMatch("DEFAULTS OK"::equals), child.toString());
    }

    @Test
    void transcribesWithCarryInitialPromptAndPromptTokens() {
        assertEquals(Optional.of("en"), line("LANGUAGE"), child.toString());
    }

    @Test
    void sileroFindsTheSpeechOfJfkAndOnlyItIsTranscribed() {
        assertEquals(Optional.of("32-227 327-441 538-768 816-1062"), line("SPEECH"), child.toString());
        assertTrue(line("VAD TRANSCRIBED").isPresent(), child.toString());
    }

    @Test
    void detectsTheLanguageAmongAllOfThem() {
        assertTrue(child.stdout().lines().anyMatch(line -> line.matches("DETECTED (\\d+) of \\1 languages")),
                child.toString());
    }

    @Test
    void theEspeakMiniModelTranscribesSyntheticSentences() {
        for (String sentence : SENTENCES) {
            for (FullParams.Strategy strategy : FullParams.Strategy.values()) {
                String text = line("TEXT " + sentence + " " + strategy).orElseThrow(() -> new AssertionError(child));
                assertFalse(text.isBlank(), sentence + " " + strategy);
                assertEquals(TestData.words(TestData.transcript(sentence)), TestData.words(text),
                        sentence + " " + strategy);
            }
        }
    }

    @Test
    void segmentsAreStreamedAsReturned() {
        for (String sentence : SENTENCES) {
            for (FullParams.Strategy strategy : FullParams.Strategy.values()) {
                assertEquals(Optional.of("as returned"), line("STREAMED " + sentence + " " + strategy),
                        child.toString());
            }
        }
    }

    @Test
    void everyContextStateAndVadModelClosedIsFreed() {
        assertEquals(Optional.of("0 contexts, 0 states, 0 VAD models"), line("LIVE"), child.toString());
    }

    @Test
    void theAbortCallbackStopsDecoding() {
        String aborted = line("ABORTED").orElseThrow(() -> new AssertionError(child));
        assertTrue(Integer.parseInt(aborted) < 0, aborted);
    }

    @Test
    void whisperCppOutputGoesToJavaLoggingOnly() {
        NativeOutputAndLoadingTest.assertNoNativeText(child);
    }

    /** What follows {@code key} and a space on the child's first line starting so. */
    private static Optional<String> line(String key) {
        return child.stdout().lines().filter(line -> line.startsWith(key + " ")).findFirst()
                .map(line -> line.substring(key.length() + 1).strip());
    }
}
