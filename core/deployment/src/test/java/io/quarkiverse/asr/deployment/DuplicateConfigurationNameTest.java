package io.quarkiverse.asr.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** One configuration name used by two providers would make @AsrProviderName ambiguous. */
class DuplicateConfigurationNameTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .addBuildChainCustomizer(TestProviders.present(Map.of("alpha", Set.of("meetings", "calls"),
                    "beta", Set.of("meetings"))))
            .overrideConfigKey("quarkus.asr.provider", "alpha")
            .assertException(t -> assertThat(t)
                    .hasStackTraceContaining("The provider name \"meetings\" is configured for several providers "
                            + "(alpha, beta)")
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("calls")));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
