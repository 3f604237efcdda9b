package io.quarkiverse.asr.spi.audio;

import java.nio.file.Path;

/** The shared test audio, found through the {@code asr.shared.dir} system property that the build sets. */
final class SharedAudio {

    static final Path DIR = Path.of(System.getProperty("asr.shared.dir", "../../shared"), "audio").toAbsolutePath()
            .normalize();

    private SharedAudio() {
    }
}
