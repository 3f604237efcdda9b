package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;

/**
 * With both provider extensions, quarkus.asr.provider=whisper makes whisper the default bean; the unnamed remote
 * provider, declared by its base-url, stays available by its provider id.
 */
class WhisperSelectedTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.provider", "whisper")
            .overrideConfigKey("quarkus.asr.remote.base-url", "http://localhost:8080/v1")
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString());

    @Inject
    AsrProvider defaultProvider;

    @Inject
    @AsrProviderName("whisper")
    AsrProvider whisper;

    @Inject
    @AsrProviderName("remote")
    AsrProvider remote;

    @Test
    void theDefaultBeanIsWhisper() {
        assertThat(defaultProvider).isInstanceOf(WhisperAsrProvider.class).isSameAs(whisper);
        assertThat(defaultProvider.info().name()).isEqualTo("whisper");
        assertThat(remote).isInstanceOf(RemoteAsrProvider.class);
        assertThat(remote.info().details()).containsEntry("baseUrl", "http://localhost:8080/v1");
    }
}
