package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which remote providers the property names of a configuration declare. */
class RemoteConfigurationsTest {

    @Test
    void baseUrlsDeclareProviders() {
        RemoteConfigurationsBuildItem found = RemoteProcessor.configurations(List.of(
                "quarkus.asr.remote.base-url",
                "quarkus.asr.remote.\"cloud\".base-url",
                "quarkus.asr.remote.batch.base-url",
                "quarkus.asr.remote.\"eu.west\".base-url",
                "quarkus.asr.remote.\"keyless\".api-key",
                "quarkus.asr.remote.retry.max-retries",
                "quarkus.asr.remote.a.b.base-url",
                "quarkus.asr.whisper.\"meetings\".model",
                "quarkus.asr.remotely.\"x\".base-url"));

        assertThat(found.unnamed()).isTrue();
        assertThat(found.names()).containsExactlyInAnyOrder("cloud", "batch", "eu.west");
    }

    @Test
    void aWhisperServerToRunDeclaresAProviderToo() {
        RemoteConfigurationsBuildItem found = RemoteProcessor.configurations(List.of(
                "quarkus.asr.remote.server.binary",
                "quarkus.asr.remote.\"local\".server.binary",
                "quarkus.asr.remote.\"local\".server.model"));

        assertThat(found.unnamed()).isTrue();
        assertThat(found.names()).containsExactly("local");
    }

    @Test
    void withoutBaseUrlsThereAreNone() {
        RemoteConfigurationsBuildItem found = RemoteProcessor.configurations(List.of(
                "quarkus.asr.remote.api-key", "quarkus.asr.remote.\"cloud\".model"));

        assertThat(found.unnamed()).isFalse();
        assertThat(found.names()).isEmpty();
    }
}
