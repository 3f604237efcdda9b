package io.quarkiverse.asr.whisper.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;

/** {@code gpu=auto} (the default) and {@code gpu=cpu} start and transcribe with the bundled library. */
class BackendSelectionTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"cpu\".model", TestData.TINY_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"cpu\".gpu", "cpu")
            .overrideConfigKey("quarkus.asr.whisper.\"cpu\".flash-attention", "true");

    @Inject
    @Any
    Instance<WhisperAsrProvider> providers;

    @Test
    void bothTranscribeRealAudio() {
        for (WhisperAsrProvider provider : providers) {
            Transcript transcript = provider.transcribe(AudioInput.of(TestData.JFK)).await()
                    .atMost(Duration.ofMinutes(1));
            assertThat(transcript.duration()).as(provider.info().model())
                    .isBetween(Duration.ofMillis(10_990), Duration.ofMillis(11_010));
        }
    }

    @Test
    void cpuComputesOnTheCpuWithFlashAttention() {
        var details = provider("for-tests-ggml-tiny.bin").info().details();
        assertThat(details).containsEntry("backend", "CPU").containsEntry("flashAttention", "true");
        assertThat(details.get("device")).startsWith("CPU (");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void autoComputesOnTheCpuOfTheBundledLinuxBuild() {
        // the bundled Linux builds have no GPU backend
        var details = provider("for-tests-ggml-tiny.en.bin").info().details();
        assertThat(details).containsEntry("backend", "CPU").containsEntry("flashAttention", "false");
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks[0].data.backend", equalTo("CPU"))
                .body("checks[0].data.device", startsWith("CPU ("))
                .body("checks[0].data.'cpu.backend'", equalTo("CPU"));
    }

    private WhisperAsrProvider provider(String model) {
        return providers.stream().filter(p -> p.info().model().equals(model)).findFirst().orElseThrow();
    }
}
