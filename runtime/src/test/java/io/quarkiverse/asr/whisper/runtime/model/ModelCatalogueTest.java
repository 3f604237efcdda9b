package io.quarkiverse.asr.whisper.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ModelCatalogueTest {

    private final ModelCatalogue catalogue = ModelCatalogue.whisperCpp();

    @Test
    void listsTheModelsOfWhisperCppsDownloadScript() {
        assertThat(catalogue.names()).containsExactly(
                "tiny", "tiny.en", "tiny-q5_1", "tiny.en-q5_1", "tiny-q8_0",
                "base", "base.en", "base-q5_1", "base.en-q5_1", "base-q8_0",
                "small", "small.en", "small-q5_1", "small.en-q5_1", "small-q8_0",
                "medium", "medium.en", "medium-q5_0", "medium.en-q5_0", "medium-q8_0",
                "large-v1", "large-v2", "large-v2-q5_0", "large-v2-q8_0", "large-v3", "large-v3-q5_0",
                "large-v3-turbo", "large-v3-turbo-q5_0", "large-v3-turbo-q8_0");
        assertThat(catalogue.contains("small.en-tdrz")).as("served from another repository").isFalse();
        assertThat(catalogue.find("large-v3-turbo-q5_0").orElseThrow().fileName())
                .isEqualTo("ggml-large-v3-turbo-q5_0.bin");
    }

    @Test
    void carriesTheChecksumsUpstreamPublishes() {
        ModelCatalogue.Entry tinyEn = catalogue.find("tiny.en").orElseThrow();
        assertThat(tinyEn.checksum()).contains(
                new Checksum("SHA-256", "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f"));
        assertThat(tinyEn.size()).hasValue(77_704_715);
        assertThat(catalogue.find("large-v3").orElseThrow().checksum())
                .contains(new Checksum("SHA-1", "ad82bf6a9043ceed055076d0fd39f5f186ff8062"));
        assertThat(catalogue.find("large-v3-turbo-q5_0").orElseThrow().checksum())
                .contains(new Checksum("SHA-1", "e050f7970618a659205450ad97eb95a18d69c9ee"));
        assertThat(catalogue.find("tiny-q5_1").orElseThrow().checksum()).isEmpty();
        assertThat(catalogue.names().stream().filter(name -> catalogue.find(name).orElseThrow().checksum().isPresent()))
                .hasSize(15);
    }

    @Test
    void everyFileStaysInTheModelsFolder() {
        Path dir = Path.of("/models");
        for (String name : catalogue.names()) {
            Path file = dir.resolve(catalogue.find(name).orElseThrow().fileName()).normalize();
            assertThat(file.getParent()).isEqualTo(dir);
            assertThat(file.getFileName().toString()).isEqualTo("ggml-" + name + ".bin");
        }
    }

    @Test
    void validatesNamesStrictly() {
        assertThat(ModelCatalogue.isValidName("tiny.en")).isTrue();
        assertThat(ModelCatalogue.isValidName("large-v3-turbo-q5_0")).isTrue();
        for (String name : new String[] { "../x", "tiny/../../etc", "..", ".", "", "/etc/passwd", "a\\b", "a..b",
                "tiny.en/", ".hidden", "Tiny", "tiny en", "tiny\0", "a".repeat(65), null }) {
            assertThat(ModelCatalogue.isValidName(name)).as("%s", name).isFalse();
        }
        assertThatThrownBy(() -> new ModelCatalogue.Entry("../x", OptionalLong.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid model name");
    }

    @Test
    void refusesANameListedTwice() {
        ModelCatalogue.Entry entry = new ModelCatalogue.Entry("mine", OptionalLong.empty(), Optional.empty());
        assertThatThrownBy(() -> ModelCatalogue.of(List.of(entry, entry)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'mine' is listed twice");
    }

    @Test
    void parsesAndComputesChecksums() throws IOException {
        String sha256 = "DD6B7796204A1CDF7164666423034E6E1A7A3E9F5C22327B4B7974C4584BD82D";
        Checksum checksum = Checksum.parse("sha256:" + sha256);
        assertThat(checksum).isEqualTo(new Checksum("SHA-256", sha256.toLowerCase()));
        assertThat(Checksum.parse(checksum.toString())).isEqualTo(checksum);
        assertThat(Checksum.parse(sha256)).isEqualTo(checksum);
        assertThat(Checksum.parse("06f45ff6b30e9678b40ca36ce3bc175a50fd4929").algorithm()).isEqualTo("SHA-1");

        Path model = Path.of(System.getProperty("asr.shared.dir"), "models", "for-tests-ggml-tiny.en.bin");
        assertThat(checksum.digest(model)).isEqualTo(checksum.hex());
        assertThat(Checksum.parse("sha1:06f45ff6b30e9678b40ca36ce3bc175a50fd4929").digest(model))
                .isEqualTo("06f45ff6b30e9678b40ca36ce3bc175a50fd4929");

        assertThatThrownBy(() -> Checksum.parse("md5:0123456789abcdef0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256:<hex>");
        assertThatThrownBy(() -> Checksum.parse("sha256:abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hexadecimal digits");
        assertThatThrownBy(() -> Checksum.parse("z".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a SHA-256 digest");
    }
}
