package io.quarkiverse.asr.whisper.deployment;

import java.nio.file.Path;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * One configured provider and the model file its {@code model} property resolved to, checked to be a whisper ggml
 * model.
 */
public final class WhisperModelBuildItem extends MultiBuildItem {

    private final String name;
    private final Path file;

    /** @param name the configuration name, {@code null} for the default provider */
    public WhisperModelBuildItem(String name, Path file) {
        this.name = name;
        this.file = file;
    }

    /** The configuration name, {@code null} for the default provider. */
    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }
}
