package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.Languages;
import io.quarkiverse.asr.whisper.natives.WhisperLibrary;

/** The language table matches the bundled whisper.cpp's, code for code and in id order. */
class LanguagesNativeTest {

    @Test
    void tableMatchesTheBundledLibrary() {
        WhisperLibrary library = WhisperLibrary.bundled(Path.of("target", "native-cache").toAbsolutePath());
        assertThat(Languages.all().keySet()).containsExactlyElementsOf(library.languages());
    }
}
