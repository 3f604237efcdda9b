package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import io.quarkiverse.asr.spi.ModelException;

/**
 * Turns the {@code quarkus.asr.whisper.model} value into a model file: either a path, or a whisper.cpp catalogue name
 * that resolves to {@code ggml-<name>.bin} in the models folder.
 */
public final class ModelLocator {

    /**
     * Catalogue names as the whisper.cpp project publishes them; the pattern also keeps a name from escaping the
     * models folder.
     */
    private static final Pattern CATALOGUE_NAME = Pattern.compile(
            "(tiny|base|small|medium)(\\.en)?(-q5_1|-q8_0)?|(large-v1|large-v2|large-v3|large-v3-turbo)(-q5_0|-q8_0)?");

    private ModelLocator() {
    }

    /** Whether {@code value} is a catalogue name such as {@code tiny.en} or {@code large-v3-turbo-q5_0}. */
    public static boolean isCatalogueName(String value) {
        return CATALOGUE_NAME.matcher(value).matches();
    }

    /**
     * Resolves {@code value} to an existing regular file.
     *
     * @param property the configuration key the value comes from, for messages
     * @throws ModelException when the value is blank or the file does not exist
     */
    public static Path resolve(String property, String value, Path modelsDir) {
        if (value == null || value.isBlank()) {
            throw new ModelException("No whisper model configured: set " + property + " to the path of a ggml"
                    + " model file or to a catalogue name such as 'tiny.en'");
        }
        String trimmed = value.strip();
        Path asPath = Path.of(trimmed);
        if (isCatalogueName(trimmed) && !Files.exists(asPath)) {
            Path cached = modelsDir.resolve("ggml-" + trimmed + ".bin").toAbsolutePath().normalize();
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
