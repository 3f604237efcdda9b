package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A negative retry count, which the fault-tolerance guard would read as endless retries, fails the start. */
class NegativeMaxRetriesTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.\"cloud\".base-url", "http://localhost:8080/v1")
            .overrideConfigKey("quarkus.asr.remote.\"cloud\".retry.max-retries", "-1")
            .assertException(t -> assertThat(t)
                    .hasStackTraceContaining("quarkus.asr.remote.\"cloud\".retry.max-retries must not be negative"));

    @Test
    void startFails() {
        // the assertion is in assertException: the application must not start
    }
}
