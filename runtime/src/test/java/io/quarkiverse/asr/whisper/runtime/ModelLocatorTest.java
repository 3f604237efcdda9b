package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.asr.spi.ModelException;

class ModelLocatorTest {

    @TempDir
    Path dir;

    @Test
    void catalogueNamesResolveInTheModelsFolder() throws IOException {
        Path model = Files.writeString(dir.resolve("ggml-base.en.bin"), "x");
        assertThat(ModelLocator.resolve("quarkus.asr.whisper.model", "base.en", dir, null)).isEqualTo(model.toAbsolutePath());
    }

    @Test
    void recognisesTheCatalogue() {
        assertThat(ModelLocator.isCatalogueName("tiny")).isTrue();
        assertThat(ModelLocator.isCatalogueName("tiny.en")).isTrue();
        assertThat(ModelLocator.isCatalogueName("small.en-q8_0")).isFalse();
        assertThat(ModelLocator.isCatalogueName("base-q5_1")).isTrue();
        assertThat(ModelLocator.isCatalogueName("large-v3-turbo-q5_0")).isTrue();
        assertThat(ModelLocator.isCatalogueName("large-v3.en")).isFalse();
        assertThat(ModelLocator.isCatalogueName("../../etc/passwd")).isFalse();
        assertThat(ModelLocator.isCatalogueName("tiny/../../x")).isFalse();
    }

    @Test
    void aMissingCatalogueModelSaysWhereItWasLookedFor() {
        assertThatThrownBy(() -> ModelLocator.resolve("quarkus.asr.whisper.model", "small", dir, null))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("ggml-small.bin")
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("quarkus.asr.whisper.models-dir");
    }

    @Test
    void pathsAreTakenAsTheyAre() throws IOException {
        Path model = Files.writeString(dir.resolve("my-model.bin"), "x");
        assertThat(ModelLocator.resolve("quarkus.asr.whisper.model", model.toString(), Path.of("/unused"), null)).isEqualTo(model);
        assertThatThrownBy(() -> ModelLocator.resolve("quarkus.asr.whisper.model", dir.resolve("nope.bin").toString(), dir, null))
                .isInstanceOf(ModelException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ModelLocator.resolve("quarkus.asr.whisper.model", dir.toString(), dir, null))
                .isInstanceOf(ModelException.class).hasMessageContaining("is not a regular file");
        assertThatThrownBy(() -> ModelLocator.resolve("quarkus.asr.whisper.model", " ", dir, null))
                .isInstanceOf(ModelException.class).hasMessageContaining("No whisper model configured");
    }
}
