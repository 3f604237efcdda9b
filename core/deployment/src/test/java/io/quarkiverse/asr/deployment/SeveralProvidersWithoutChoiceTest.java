package io.quarkiverse.asr.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** Two provider extensions and no quarkus.asr.provider: the build asks for the choice. */
class SeveralProvidersWithoutChoiceTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .addBuildChainCustomizer(TestProviders.present(Map.of("alpha", Set.of(), "beta", Set.of())))
            .assertException(t -> assertThat(t)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("Several ASR providers are present (alpha, beta)")
                    .hasMessageContaining("set quarkus.asr.provider"));

    @Test
    void buildFails() {
        // the assertion is in assertException: the application must not build
    }
}
