package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** In offline mode a missing model-url model fails the build without a request, saying how to get it. */
class OfflineModelUrlTest {

    static final ModelServer SERVER = ModelServer.start();
    static final Path MODEL = Path.of("target", "model-url-offline", Long.toString(ProcessHandle.current().pid()),
            "ggml-mine.bin").toAbsolutePath();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.whisper.model", MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.model-url", SERVER.url().toString())
            .overrideConfigKey("quarkus.asr.whisper.offline", "true")
            .assertException(t -> {
                assertThat(t).isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("ggml-mine.bin is not in " + MODEL.getParent())
                        .hasMessageContaining("quarkus.asr.whisper.offline=true")
                        .hasMessageContaining("curl -L -o '" + MODEL + "' '" + SERVER.url() + "'");
                assertThat(SERVER.downloads()).isZero();
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
