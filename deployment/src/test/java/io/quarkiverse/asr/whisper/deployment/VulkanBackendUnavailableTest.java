package io.quarkiverse.asr.whisper.deployment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A named provider with gpu=vulkan fails start-up with the bundled CPU library, even when it loads lazily. */
class VulkanBackendUnavailableTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"lazy\".model", TestData.TINY_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"lazy\".gpu", "vulkan")
            .overrideConfigKey("quarkus.asr.whisper.\"lazy\".load-on-startup", "false")
            .assertException(t -> UnavailableBackends.assertRefused(t, "gpu=vulkan", "Vulkan", "-DGGML_VULKAN=ON"));

    @Test
    void startupFails() {
        // the assertion is in assertException: the application must not start
    }
}
