package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** A model-url download that does not match its model-checksum fails the build and leaves no file behind. */
class ModelUrlChecksumMismatchTest {

    static final ModelServer SERVER = ModelServer.start();
    static final Path MODELS = Path.of("target", "model-url-mismatch", Long.toString(ProcessHandle.current().pid()))
            .toAbsolutePath();
    static final String WRONG = "0".repeat(64);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.whisper.\"custom\".model-url", SERVER.url().toString())
            .overrideConfigKey("quarkus.asr.whisper.\"custom\".model-checksum", WRONG)
            .overrideConfigKey("quarkus.asr.whisper.models-dir", MODELS.toString())
            .assertException(t -> {
                assertThat(t).isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("The download of " + SERVER.url() + " is corrupt (its SHA-256 is "
                                + ModelServer.sha256() + " instead of " + WRONG + ")");
                assertThat(MODELS.resolve(ModelServer.FILE)).doesNotExist();
                assertThat(MODELS.resolve(ModelServer.FILE + ".part")).doesNotExist();
                assertThat(SERVER.downloads()).isEqualTo(1);
            });

    @AfterAll
    static void stopServer() {
        SERVER.stop();
    }

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
