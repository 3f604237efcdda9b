package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.ProdBuildResults;
import io.quarkus.test.ProdModeTestResults;
import io.quarkus.test.QuarkusProdModeTest;

/** Without include-models-in-artifact, a packaged application needs the model file the build used. */
class UnpackagedModelTest {

    static final Path MODEL = PackagedModelTest.ProdModeSetup.copyOfTheTestModel("unpackaged-model-test");

    @RegisterExtension
    static final QuarkusProdModeTest app = new QuarkusProdModeTest()
            .setApplicationName("unpackaged-model")
            .setApplicationVersion("1")
            .overrideConfigKey("quarkus.asr.whisper.model", MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.include-models-in-artifact", "false")
            .setForcedDependencies(PackagedModelTest.ProdModeSetup.HTTP)
            .setJVMArgs(List.of("--enable-native-access=ALL-UNNAMED"))
            .setRuntimeProperties(Map.of("quarkus.http.port", Integer.toString(PackagedModelTest.ProdModeSetup.port()),
                    "quarkus.asr.whisper.native-cache-dir", PackagedModelTest.ProdModeSetup.NATIVE_CACHE.toString()))
            .setExpectExit(true)
            .setRun(false);

    @ProdBuildResults
    ProdModeTestResults results;

    @Test
    void failsToStartWithoutTheModelFileItWasBuiltWith() throws IOException {
        assertThat(results.getBuildDir().resolve("quarkus-app").resolve("asr-models")).doesNotExist();

        Files.delete(MODEL);
        app.start();

        assertThat(app.getExitCode()).isNotZero();
        assertThat(app.getStartupConsoleOutput()).contains("Model file " + MODEL + " does not exist");
    }
}
