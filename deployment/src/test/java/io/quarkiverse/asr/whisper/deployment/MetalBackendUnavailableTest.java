package io.quarkiverse.asr.whisper.deployment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** gpu=metal fails start-up with the bundled Linux library, which is CPU-only (the macOS arm64 one has Metal). */
@EnabledOnOs(OS.LINUX)
class MetalBackendUnavailableTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.gpu", "metal")
            .assertException(t -> UnavailableBackends.assertRefused(t, "gpu=metal", "Metal", "-DGGML_METAL=ON"));

    @Test
    void startupFails() {
        // the assertion is in assertException: the application must not start
    }
}
