package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * The remote provider chosen with nothing configured: whisper, not chosen and without a model, does not fail the
 * build, and the start fails naming the missing base-url.
 */
class MissingBaseUrlTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .assertException(t -> assertThat(t)
                    .hasStackTraceContaining("quarkus.asr.remote.base-url is not set")
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("whisper")));

    @Test
    void startFails() {
        // the assertion is in assertException: the application must not start
    }
}
