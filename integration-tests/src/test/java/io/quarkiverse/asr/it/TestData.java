package io.quarkiverse.asr.it;

import java.nio.file.Path;
import java.util.Optional;

/** The shared test data beside the checkout (see ../shared/README.md), located by the build. */
final class TestData {

    static final Path SHARED = Path.of(System.getProperty("asr.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path AUDIO = SHARED.resolve("audio");
    static final Path JFK = AUDIO.resolve("jfk.wav");
    static final String JFK_REFERENCE = "And so my fellow Americans, ask not what your country can do for you,"
            + " ask what you can do for your country.";

    private TestData() {
    }

    /** The trained model named by {@code WHISPER_TEST_MODEL}, which the application was built with, if any. */
    static Optional<Path> trainedModel() {
        String value = System.getenv("WHISPER_TEST_MODEL");
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    static String skipMessage() {
        return "WHISPER_TEST_MODEL is not set: transcript text is not asserted (the test-sized model emits no text)."
                + " Set it to a trained ggml model, e.g. ggml-tiny.en.bin, to run these assertions.";
    }
}
