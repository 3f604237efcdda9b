package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.runtime.configuration.ConfigurationException;

class ModelPackagerTest {

    @TempDir
    Path dir;

    @Test
    void putsEachModelUnderItsNameAndRemovesWhatElseIsThere() throws IOException {
        Path english = Files.copy(TestData.TINY_EN_MODEL, Files.createDirectories(dir.resolve("a")).resolve("en.bin"));
        Path multilingual = Files.copy(TestData.TINY_MODEL, Files.createDirectories(dir.resolve("b"))
                .resolve("all.bin"));
        Path folder = Files.createDirectories(dir.resolve("quarkus-app").resolve("asr-models"));
        Files.writeString(folder.resolve("old-model.bin"), "from an earlier build");

        ModelPackager.pack(List.of(english, multilingual, english), folder);

        assertThat(folder.resolve("en.bin")).hasSameBinaryContentAs(english);
        assertThat(folder.resolve("all.bin")).hasSameBinaryContentAs(multilingual);
        try (var files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder("en.bin", "all.bin");
        }
    }

    @Test
    void keepsWhatAnEarlierBuildPutThere() throws IOException {
        Path model = Files.copy(TestData.TINY_EN_MODEL, dir.resolve("en.bin"));
        Path folder = Files.createDirectories(dir.resolve("asr-models"));
        // an earlier build's copy: same length and time stamp, another file
        Path earlier = Files.copy(model, folder.resolve("en.bin"), StandardCopyOption.COPY_ATTRIBUTES);
        Object earlierFile = Files.readAttributes(earlier, BasicFileAttributes.class).fileKey();

        ModelPackager.pack(List.of(model), folder);

        assertThat(Files.readAttributes(folder.resolve("en.bin"), BasicFileAttributes.class).fileKey())
                .isEqualTo(earlierFile)
                .isNotEqualTo(Files.readAttributes(model, BasicFileAttributes.class).fileKey());
    }

    @Test
    void refusesTwoModelsWithTheSameName() throws IOException {
        Path one = Files.copy(TestData.TINY_EN_MODEL, Files.createDirectories(dir.resolve("one")).resolve("model.bin"));
        Path two = Files.copy(TestData.TINY_MODEL, Files.createDirectories(dir.resolve("two")).resolve("model.bin"));

        assertThatThrownBy(() -> ModelPackager.pack(List.of(one, two), dir.resolve("asr-models")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(one + " and " + two + " have the same file name")
                .hasMessageContaining("quarkus.asr.whisper.include-models-in-artifact=false");
    }
}
