package io.quarkiverse.asr.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** quarkus.asr.provider chooses among several provider extensions. */
class ConfiguredProviderSelectedTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestProviders.class))
            .addBuildChainCustomizer(TestProviders.present(Map.of("alpha", Set.of("a1"), "beta", Set.of("b1"))))
            .overrideConfigKey("quarkus.asr.provider", "beta");

    @ConfigProperty(name = TestProviders.SELECTED)
    String selected;

    @Test
    void theConfiguredProviderIsSelected() {
        assertThat(selected).isEqualTo("beta");
    }
}
