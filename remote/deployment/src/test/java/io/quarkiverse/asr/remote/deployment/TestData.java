package io.quarkiverse.asr.remote.deployment;

import java.nio.file.Path;

import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;

/** The shared test data beside the checkout (see ../shared/README.md), and the random-weight whisper model. */
final class TestData {

    static final Path SHARED = Path.of(System.getProperty("asr.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    static final Path TINY_EN_MODEL = SHARED.resolve("models/for-tests-ggml-tiny.en.bin");
    /** The whisper model trained on espeak-ng speech: it transcribes the synthetic sentences word for word. */
    static final Path ESPEAK_MINI_MODEL = SHARED.resolve("models/for-tests-ggml-espeak-mini.en.bin");
    static final Path SYNTHETIC = SHARED.resolve("audio/synthetic");
    /** The base URL of the test application's own OpenAI-compatible API. */
    static final String OWN_API = "http://localhost:${quarkus.http.test-port:8081}/v1";
    /** The root of the test application, where its whisper-server compatible {@code /inference} is. */
    static final String OWN_ROOT = "http://localhost:${quarkus.http.test-port:8081}";

    private TestData() {
    }

    /**
     * A whisper model with seeded random weights, English-only: jfk.wav decodes into about eleven segments of
     * deterministic word salad. Written once per class loader into target/.
     */
    static Path randomModel() {
        return RandomWeightModel.writeOnce(TINY_EN_MODEL, Path.of("target", "models", "random-tiny.en-42.bin"), 42L);
    }
}
