package io.quarkiverse.asr.whisper.deployment;

import java.nio.file.Path;

/** The shared test data beside the checkout (see ../shared/README.md), located by the build. */
final class TestData {

    static final Path SHARED = Path.of(System.getProperty("asr.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path TINY_EN_MODEL = SHARED.resolve("models/for-tests-ggml-tiny.en.bin");
    static final Path TINY_MODEL = SHARED.resolve("models/for-tests-ggml-tiny.bin");
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    /** Transcribes the synthetic espeak-ng sentences word for word (see ../shared/models/espeak-mini.md). */
    static final Path ESPEAK_MINI_MODEL = SHARED.resolve("models/for-tests-ggml-espeak-mini.en.bin");
    /** "The quick brown fox jumps over the lazy dog near the river bank.", 4.46 s. */
    static final Path QUICK_BROWN_FOX = SHARED.resolve("audio/synthetic/s01.wav");

    private TestData() {
    }

    /** A synthetic sentence, {@code s01} to {@code s24}, spoken by espeak-ng. */
    static Path synthetic(String sentence) {
        return SHARED.resolve("audio/synthetic/" + sentence + ".wav");
    }
}
