package io.quarkiverse.asr.whisper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WhisperSettingsTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void defaultThreadsShareTheCoresAmongConcurrentTranscriptions() {
        assertEquals(Math.min(4, CORES), WhisperSettings.defaultThreads(1));
        assertEquals(Math.clamp(CORES / 2, 1, 4), WhisperSettings.defaultThreads(2));
        // never more threads in all than cores, while a transcription has a core of its own
        for (int concurrent = 1; concurrent <= CORES; concurrent++) {
            int threads = WhisperSettings.defaultThreads(concurrent);
            assertTrue(threads * concurrent <= CORES, concurrent + " x " + threads + " on " + CORES + " cores");
        }
        assertEquals(1, WhisperSettings.defaultThreads(CORES + 1));
    }

    @Test
    void settingsWithoutConfigurationUseOneTranscriptionsShare() {
        assertEquals(WhisperSettings.defaultThreads(1), WhisperSettings.defaults().decoding().threads().orElseThrow());
    }
}
