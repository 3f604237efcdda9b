package io.quarkiverse.asr.whisper.deployment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** gpu=cuda with the bundled CPU library fails start-up, saying which library to supply. */
class CudaBackendUnavailableTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.gpu", "cuda")
            .assertException(t -> UnavailableBackends.assertRefused(t, "gpu=cuda", "CUDA", "-DGGML_CUDA=ON"));

    @Test
    void startupFails() {
        // the assertion is in assertException: the application must not start
    }
}
