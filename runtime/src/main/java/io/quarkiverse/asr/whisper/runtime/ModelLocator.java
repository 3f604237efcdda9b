package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.whisper.runtime.model.ModelCatalogue;
import io.quarkiverse.asr.whisper.runtime.model.ModelDownloader;

/**
 * Turns the {@code quarkus.asr.whisper.model} value into a model file: either a path, or a whisper.cpp catalogue name
 * that resolves to {@code ggml-<name>.bin} in the models folder.
 */
public final class ModelLocator {

    private ModelLocator() {
    }

    /** Whether {@code value} is a catalogue name such as {@code tiny.en} or {@code large-v3-turbo-q5_0}. */
    public static boolean isCatalogueName(String value) {
        return ModelCatalogue.whisperCpp().contains(value);
    }

    /**
     * Resolves {@code value} to an existing regular file; a catalogue model missing from {@code modelsDir} is
     * fetched with {@code downloader} when one is given ({@code null}: never download).
     *
     * @param property the configuration key the value comes from, for messages
     * @throws ModelException when the value is blank, the file does not exist, or the download fails
     */
    public static Path resolve(String property, String value, Path modelsDir, ModelDownloader downloader) {
        if (value == null || value.isBlank()) {
            throw new ModelException("No whisper model configured: set " + property + " to the path of a ggml"
                    + " model file or to a catalogue name such as 'tiny.en'");
        }
        String trimmed = value.strip();
        Path asPath = Path.of(trimmed);
        if (isCatalogueName(trimmed) && !Files.exists(asPath)) {
            Path cached = modelsDir.resolve("ggml-" + trimmed + ".bin").toAbsolutePath().normalize();
            if (!Files.isRegularFile(cached) && downloader != null) {
                return downloader.ensure(trimmed, modelsDir).toAbsolutePath().normalize();
            }
            if (!Files.isRegularFile(cached)) {
                throw new ModelException(property + "=" + trimmed + " names the catalogue model "
                        + cached.getFileName() + ", which is not in " + modelsDir.toAbsolutePath().normalize()
                        + ": put the file there (or set quarkus.asr.whisper.models-dir), or set"
                        + " " + property + " to the path of a ggml model file");
            }
            return cached;
        }
        Path file = asPath.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new ModelException(property + "=" + trimmed + ": " + file
                    + (Files.exists(file) ? " is not a regular file" : " does not exist")
                    + "; set it to the path of a ggml whisper model file or to a catalogue name such as 'tiny.en'");
        }
        return file;
    }
}
