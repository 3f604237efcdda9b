package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.ProdBuildResults;
import io.quarkus.test.ProdModeTestResults;
import io.quarkus.test.QuarkusProdModeTest;

/**
 * A packaged fast-jar holds its model: started after the file the build used is deleted, it transcribes with the copy
 * in {@code quarkus-app/asr-models/}.
 */
class PackagedModelTest {

    static final Path MODEL = ProdModeSetup.copyOfTheTestModel("packaged-model-test");

    @RegisterExtension
    static final QuarkusProdModeTest app = new QuarkusProdModeTest()
            .setApplicationName("packaged-model")
            .setApplicationVersion("1")
            .withApplicationRoot(jar -> jar.addClass(TranscribeOnStart.class))
            .overrideConfigKey("quarkus.asr.whisper.model", MODEL.toString())
            .setForcedDependencies(ProdModeSetup.HTTP)
            .setJVMArgs(List.of("--enable-native-access=ALL-UNNAMED"))
            // no request is sent: any free port
            .setRuntimeProperties(Map.of("quarkus.http.port", "0",
                    "quarkus.asr.whisper.native-cache-dir", ProdModeSetup.NATIVE_CACHE.toString(),
                    TranscribeOnStart.AUDIO, TestData.JFK.toAbsolutePath().toString()))
            .setRun(false);

    @ProdBuildResults
    ProdModeTestResults results;

    @Test
    void runsWithoutTheModelFileItWasBuiltWith() throws IOException {
        Path packaged = results.getBuildDir().resolve("quarkus-app").resolve("asr-models").resolve(MODEL.getFileName());
        assertThat(packaged).hasSameBinaryContentAs(TestData.TINY_EN_MODEL);

        Files.delete(MODEL);
        app.start();

        assertThat(app.getStartupConsoleOutput()).contains("Loaded whisper model " + packaged.toRealPath())
                .contains("Transcribed language=en duration=PT11S");
    }

    /** Transcribes a file with the packaged model when the application starts, and logs what it found. */
    @Singleton
    public static class TranscribeOnStart {

        static final String AUDIO = "asr.test.audio";

        void transcribe(@Observes StartupEvent start, AsrProvider asr, @ConfigProperty(name = AUDIO) Path audio) {
            Transcript transcript = asr.transcribe(AudioInput.of(audio)).await().atMost(Duration.ofMinutes(1));
            Logger.getLogger(TranscribeOnStart.class).infof("Transcribed language=%s duration=%s",
                    transcript.language(), transcript.duration());
        }
    }

    /** The test model copied to a file of its own, which the tests delete; and what the packaged application needs. */
    static final class ProdModeSetup {

        static final Path NATIVE_CACHE = Path.of("target", "native-cache").toAbsolutePath();
        /**
         * The HTTP server: the deployment modules of this test class path expect it.
         */
        static final List<Dependency> HTTP = List.of(Dependency.of("io.quarkus", "quarkus-vertx-http",
                Version.getVersion()));

        static Path copyOfTheTestModel(String test) {
            try {
                Path dir = Files.createDirectories(Path.of("target", test, Long.toString(ProcessHandle.current().pid()))
                        .toAbsolutePath());
                return Files.copy(TestData.TINY_EN_MODEL, dir.resolve("ggml-" + test + ".bin"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The port of this build's tests, so that parallel builds do not collide. */
        static int port() {
            return Integer.getInteger("quarkus.http.test-port", 8081);
        }
    }
}
