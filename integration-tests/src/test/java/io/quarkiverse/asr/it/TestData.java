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

    /**
     * What the tests transcribe: jfk.wav with a trained model, else a synthetic sentence, which the default espeak mini
     * model transcribes word for word (it cannot transcribe human speech, so it is never given any).
     */
    static final Speech SPEECH = trainedModel().isPresent()
            ? new Speech(JFK, JFK_REFERENCE, 11.0, 0.1, AUDIO.resolve("formats"))
            : new Speech(AUDIO.resolve("synthetic/s01.wav"),
                    "The quick brown fox jumps over the lazy dog near the river bank.", 4.459, 0,
                    AUDIO.resolve("synthetic/formats"));

    private TestData() {
    }

    /**
     * A recording with its reference text.
     *
     * @param seconds its duration
     * @param maxWordErrorRate the highest word error rate accepted for the application's model
     * @param formats the folder of recordings in other containers and shapes that the model transcribes
     */
    record Speech(Path file, String reference, double seconds, double maxWordErrorRate, Path formats) {
    }

    /** The trained model named by {@code WHISPER_TEST_MODEL}, which the application was built with, if any. */
    static Optional<Path> trainedModel() {
        String value = System.getenv("WHISPER_TEST_MODEL");
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    static String skipMessage() {
        return "WHISPER_TEST_MODEL is not set: real speech is not transcribed (the default espeak mini model only knows"
                + " the synthetic sentences). Set it to a trained ggml model, e.g. ggml-tiny.en.bin, to run these"
                + " assertions.";
    }
}
