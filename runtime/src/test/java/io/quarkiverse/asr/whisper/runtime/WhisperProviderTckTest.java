package io.quarkiverse.asr.whisper.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.tck.AsrProviderTck;
import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;

/**
 * The whisper provider passes the provider conformance kit, on a random-weight model (English-only, so without
 * translation) that turns jfk.wav into several segments of deterministic word salad.
 */
class WhisperProviderTckTest extends AsrProviderTck {

    private static final Path SHARED = Path.of(System.getProperty("asr.shared.dir", "../../shared")).toAbsolutePath()
            .normalize();

    @TempDir
    static Path models;

    private static WhisperAsrProvider provider;

    @BeforeAll
    static void start() throws IOException {
        Path model = RandomWeightModel.write(SHARED.resolve("models/for-tests-ggml-tiny.en.bin"),
                models.resolve("random-tiny.en.bin"), 42L);
        provider = WhisperAsrProvider.create(model, new WhisperSettings(Optional.empty(),
                Optional.of(Path.of("target", "native-cache").toAbsolutePath()), ComputeBackend.CPU, 0, false, true, 1, 4,
                Optional.empty(),
                TranscriptionOptions.builder().threads(2).build()));
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
    }

    @Override
    protected AsrProvider provider() {
        return provider;
    }

    @Override
    protected AudioInput speech() {
        return AudioInput.of(SHARED.resolve("audio/jfk.wav"));
    }
}
