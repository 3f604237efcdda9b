package io.quarkiverse.asr.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A provider id names that provider's unnamed configuration, so no configuration may be called so. */
class ProviderIdAsConfigurationNameTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .addBuildChainCustomizer(TestProviders.present(Map.of("alpha", Set.of("beta"), "beta", Set.of())))
            .overrideConfigKey("quarkus.asr.provider", "alpha")
            .assertException(t -> assertThat(t)
                    .hasStackTraceContaining("The provider name \"beta\" is the id of the beta provider")
                    .hasStackTraceContaining("rename quarkus.asr.alpha.\"beta\".*"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
