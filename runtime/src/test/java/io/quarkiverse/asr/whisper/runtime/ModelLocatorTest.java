package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.whisper.runtime.model.ModelDownloader;

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

    @Test
    void aModelUrlIsRefusedBeforeAnyDownloadWhenItCannotWork() {
        ModelDownloader downloader = ModelDownloader.builder().build();
        String prefix = "quarkus.asr.whisper.\"mine\".";
        URI url = URI.create("http://127.0.0.1:9/models/ggml-mine.bin");

        assertThatThrownBy(() -> ModelLocator.download(prefix, "base.en", url, null, dir, downloader))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(prefix + "model=base.en is a catalogue model")
                .hasMessageContaining("quarkus.asr.whisper.download.base-url");
        assertThatThrownBy(() -> ModelLocator.download(prefix, null, URI.create("http://127.0.0.1:9/models/"), null,
                dir, downloader))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(prefix + "model-url=http://127.0.0.1:9/models/ names no file: set " + prefix
                        + "model");
        assertThatThrownBy(() -> ModelLocator.download(prefix, null, URI.create("ftp://127.0.0.1/ggml-mine.bin"),
                null, dir, downloader))
                .isInstanceOf(ModelException.class).hasMessageContaining("is not an http or https address");
        assertThatThrownBy(() -> ModelLocator.download(prefix, null, url, "md5:0123", dir, downloader))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(prefix + "model-checksum: Unsupported checksum 'md5:0123'");
    }

    @Test
    void aModelUrlsFileAlreadyInPlaceIsUsedWithoutDownload() throws IOException {
        // port 9 (discard) refuses connections: a download would fail
        URI url = URI.create("http://127.0.0.1:9/models/ggml-mine.bin");
        Path inModelsDir = Files.writeString(dir.resolve("ggml-mine.bin"), "x");
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.bin"), "x");
        ModelDownloader downloader = ModelDownloader.builder().build();

        assertThat(ModelLocator.download("quarkus.asr.whisper.", null, url, null, dir, downloader))
                .isEqualTo(inModelsDir.toAbsolutePath().normalize());
        assertThat(ModelLocator.download("quarkus.asr.whisper.", elsewhere.toString(), url, null, Path.of("/unused"),
                downloader)).isEqualTo(elsewhere.toAbsolutePath().normalize());
    }
}
