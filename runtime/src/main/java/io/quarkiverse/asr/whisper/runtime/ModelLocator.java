package io.quarkiverse.asr.whisper.runtime;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.whisper.runtime.model.Checksum;
import io.quarkiverse.asr.whisper.runtime.model.ModelCatalogue;
import io.quarkiverse.asr.whisper.runtime.model.ModelDownloader;

/**
 * Turns the {@code quarkus.asr.whisper.model} value into a model file: either a path, or a whisper.cpp catalogue name
 * that resolves to {@code ggml-<name>.bin} in the models folder; with {@code model-url}, the file that model is
 * downloaded to.
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

    /**
     * The file of a model from outside the catalogue, downloaded first from {@code url} when it is missing: the path
     * {@code model} gives, or, when that is unset, the file the URL names in {@code modelsDir}.
     *
     * @param prefix the provider's configuration prefix ({@code quarkus.asr.whisper.} or
     *        {@code quarkus.asr.whisper."name".}), for messages
     * @param model the {@code model} value, or {@code null}
     * @param checksum the {@code model-checksum} value, or {@code null}
     * @throws ModelException when {@code model} is a catalogue name, the URL is not HTTP(S) or names no file, the
     *         checksum is malformed, or the download fails
     */
    public static Path download(String prefix, String model, URI url, String checksum, Path modelsDir,
            ModelDownloader downloader) {
        String urlProperty = prefix + "model-url";
        if (url.getScheme() == null || !url.getScheme().matches("(?i)https?")) {
            throw new ModelException(urlProperty + "=" + url + " is not an http or https address");
        }
        Optional<Checksum> expected;
        try {
            expected = Optional.ofNullable(checksum).map(Checksum::parse);
        } catch (IllegalArgumentException e) {
            throw new ModelException(prefix + "model-checksum: " + e.getMessage(), e);
        }
        String file = model == null ? "" : model.strip();
        Path target;
        if (file.isEmpty()) {
            String path = url.getPath() == null ? "" : url.getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new ModelException(urlProperty + "=" + url + " names no file: set " + prefix + "model to the"
                        + " path to store the model as");
            }
            target = modelsDir.resolve(name);
        } else {
            try {
                target = Path.of(file);
            } catch (InvalidPathException e) {
                throw new ModelException(prefix + "model=" + file + " is not a path: " + e.getMessage(), e);
            }
            if (isCatalogueName(file) && !Files.exists(target)) {
                throw new ModelException(prefix + "model=" + file + " is a catalogue model, which is downloaded from"
                        + " quarkus.asr.whisper.download.base-url: " + urlProperty + " is for models outside the"
                        + " catalogue. Remove it, or set " + prefix + "model to the path to store the model as");
            }
        }
        return downloader.download(url, urlProperty, target, expected);
    }
}
