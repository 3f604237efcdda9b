package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.whisper.runtime.WhisperAsrProvider;
import io.quarkus.test.QuarkusUnitTest;

/** With both provider extensions, quarkus.asr.provider=remote makes the remote provider the default bean. */
class RemoteSelectedTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, ScriptedService.class))
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.base-url", ScriptedService.BASE_URL)
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString());

    @Inject
    AsrProvider defaultProvider;

    @Inject
    @AsrProviderName("remote")
    AsrProvider remote;

    @Inject
    @AsrProviderName("whisper")
    AsrProvider whisper;

    @Inject
    ScriptedService service;

    @Test
    void theDefaultBeanIsTheRemoteProvider() {
        assertThat(defaultProvider).isInstanceOf(RemoteAsrProvider.class).isSameAs(remote);
        assertThat(defaultProvider.info().name()).isEqualTo("remote");
        assertThat(whisper).isInstanceOf(WhisperAsrProvider.class);

        service.script();
        var transcript = defaultProvider.transcribe(AudioInput.of("x".getBytes(StandardCharsets.US_ASCII), "x.wav"))
                .await().atMost(Duration.ofSeconds(30));
        assertThat(service.received()).hasSize(1);
        assertThat(transcript.segments()).hasSize(2);
    }
}
