package io.quarkiverse.asr.whisper.deployment;

import java.nio.file.Path;

import io.quarkus.builder.item.SimpleBuildItem;

/** The model file that {@code quarkus.asr.whisper.model} resolved to, checked to be a whisper ggml model. */
public final class WhisperModelBuildItem extends SimpleBuildItem {

    private final Path file;

    public WhisperModelBuildItem(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
