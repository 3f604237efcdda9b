package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A name configured for whisper and for remote would make @AsrProviderName("meetings") ambiguous. */
class NameUsedByBothProvidersTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.provider", "whisper")
            .overrideConfigKey("quarkus.asr.whisper.\"meetings\".model", TestData.TINY_EN_MODEL.toString())
            .overrideConfigKey("quarkus.asr.remote.\"meetings\".base-url", "http://localhost:8080/v1")
            .assertException(t -> assertThat(t)
                    .hasStackTraceContaining("The provider name \"meetings\" is configured for several providers "
                            + "(remote, whisper)"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
