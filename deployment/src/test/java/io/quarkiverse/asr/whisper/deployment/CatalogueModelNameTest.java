package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkus.test.QuarkusUnitTest;

/** A catalogue name resolves to ggml-NAME.bin in the models folder. */
class CatalogueModelNameTest {

    static final Path MODELS_DIR = Path.of("target/catalogue-models").toAbsolutePath();

    static {
        try {
            Files.createDirectories(MODELS_DIR);
            Files.copy(TestData.TINY_EN_MODEL, MODELS_DIR.resolve("ggml-tiny.en.bin"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", "tiny.en")
            .overrideConfigKey("quarkus.asr.whisper.models-dir", MODELS_DIR.toString());

    @Inject
    AsrProvider asr;

    @Test
    void resolvesTheNameInTheModelsFolder() {
        assertThat(asr.info().model()).isEqualTo("ggml-tiny.en.bin");
    }
}
