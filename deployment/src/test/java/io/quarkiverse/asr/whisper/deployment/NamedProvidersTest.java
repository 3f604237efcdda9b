package io.quarkiverse.asr.whisper.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkus.test.QuarkusUnitTest;

/** Several providers side by side: the unnamed one is the default bean, the others are selected by name. */
class NamedProvidersTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"meetings\".model", TestData.TINY_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.\"meetings\".language", "de")
            .overrideConfigKey("quarkus.asr.whisper.\"meetings\".load-on-startup", "false");

    @Inject
    AsrProvider defaultProvider;

    @Inject
    @AsrProviderName("meetings")
    AsrProvider meetings;

    @Inject
    @AsrProviderName("whisper")
    AsrProvider unnamedWhisper;

    @Test
    void eachNameHasItsOwnModelAndSettings() {
        assertThat(defaultProvider).isNotSameAs(meetings);
        // the provider id selects the unnamed configuration
        assertThat(unnamedWhisper).isSameAs(defaultProvider);
        assertThat(defaultProvider.info().model()).isEqualTo("for-tests-ggml-tiny.en.bin");
        assertThat(defaultProvider.info().capabilities()).doesNotContain(Capability.LANGUAGE_DETECTION);
        assertThat(meetings.info().model()).isEqualTo("for-tests-ggml-tiny.bin");
        assertThat(meetings.info().capabilities()).contains(Capability.LANGUAGE_DETECTION, Capability.TRANSLATION);

        // the named provider's configured language applies to its requests
        var transcript = meetings.transcribe(AudioInput.of(TestData.JFK)).await().atMost(Duration.ofMinutes(1));
        assertThat(transcript.language()).isEqualTo("de");
    }

    @Test
    void healthReportsEveryProvider() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks[0].data.model", equalTo("for-tests-ggml-tiny.en.bin"))
                .body("checks[0].data.'meetings.model'", equalTo("for-tests-ggml-tiny.bin"));
    }
}
