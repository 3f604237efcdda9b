package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Models from outside the catalogue are downloaded from their {@code model-url} when the application is built:
 * into {@code models-dir} under the name the address ends with, or to the path {@code model} gives.
 */
class ModelUrlTest {

    static final ModelServer SERVER = ModelServer.start();
    static final Path DIR = Path.of("target", "model-url-test", Long.toString(ProcessHandle.current().pid()))
            .toAbsolutePath();
    static final Path NAMED_FILE = DIR.resolve("named").resolve("ggml-finetune.bin");

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, ModelServer.class))
            .overrideConfigKey("quarkus.asr.whisper.models-dir", DIR.resolve("models").toString())
            .overrideConfigKey("quarkus.asr.whisper.model-url", SERVER.url().toString())
            .overrideConfigKey("quarkus.asr.whisper.model-checksum", "sha256:" + ModelServer.sha256())
            .overrideConfigKey("quarkus.asr.whisper.\"finetune\".model", NAMED_FILE.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"finetune\".model-url", SERVER.url().toString());

    @Inject
    @Any
    Instance<WhisperAsrProvider> providers;

    @AfterAll
    static void stopServer() {
        SERVER.stop();
    }

    @Test
    void downloadsEachModelWhereItsConfigurationSays() throws IOException {
        byte[] served = Files.readAllBytes(TestData.TINY_EN_MODEL);
        assertThat(DIR.resolve("models").resolve(ModelServer.FILE)).hasBinaryContent(served);
        assertThat(NAMED_FILE).hasBinaryContent(served);
        assertThat(DIR.resolve("models").resolve(ModelServer.FILE + ".part")).doesNotExist();
    }

    @Test
    void theProvidersTranscribeWithTheDownloadedModels() {
        assertThat(providers.stream().map(p -> p.info().model())).containsExactlyInAnyOrder(ModelServer.FILE,
                NAMED_FILE.getFileName().toString());
        for (WhisperAsrProvider provider : providers) {
            var transcript = provider.transcribe(AudioInput.of(TestData.JFK)).await()
                    .atMost(Duration.ofMinutes(1));
            assertThat(transcript.duration()).isBetween(Duration.ofMillis(10_990), Duration.ofMillis(11_010));
        }
    }
}
