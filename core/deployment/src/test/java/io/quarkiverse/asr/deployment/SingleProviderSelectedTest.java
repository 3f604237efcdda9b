package io.quarkiverse.asr.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** With one provider extension and no quarkus.asr.provider, that provider is the default. */
class SingleProviderSelectedTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestProviders.class))
            .addBuildChainCustomizer(TestProviders.present(Map.of("alpha", Set.of("meetings"))));

    @ConfigProperty(name = TestProviders.SELECTED)
    String selected;

    @Test
    void theOnlyProviderIsSelected() {
        assertThat(selected).isEqualTo("alpha");
    }
}
