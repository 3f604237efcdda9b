package io.quarkiverse.asr.openai.server.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.deployment.AsrProviderCandidateBuildItem;
import io.quarkiverse.asr.deployment.SelectedAsrProviderBuildItem;
import io.quarkiverse.asr.openai.server.deployment.OpenAiApiProcessor.ServedProviders;
import io.quarkus.runtime.configuration.ConfigurationException;

/** Which provider beans the API serves: any local provider's, never a remote one's (the loop guard). */
class ServedProvidersTest {

    private static final AsrProviderCandidateBuildItem WHISPER = AsrProviderCandidateBuildItem.local("whisper", true,
            Set.of("meetings", "calls"));
    private static final AsrProviderCandidateBuildItem REMOTE = AsrProviderCandidateBuildItem.remote("remote", true,
            Set.of("loop"));

    @Test
    void servesEveryLocalConfigurationWithTheSelectedProvidersUnnamedOneAsDefault() {
        AsrProviderCandidateBuildItem other = AsrProviderCandidateBuildItem.local("other", true, Set.of("notes"));

        ServedProviders served = ServedProviders.of(List.of(WHISPER, other), selected("other"));

        assertThat(served.names()).containsExactly("other", "notes", "whisper", "calls", "meetings");
        assertThat(served.defaultName()).isEqualTo("other");
    }

    @Test
    void neverServesARemoteProviderEvenWhenItIsTheSelectedOne() {
        ServedProviders served = ServedProviders.of(List.of(REMOTE, WHISPER), selected("remote"));

        assertThat(served.names()).containsExactly("whisper", "calls", "meetings");
        assertThat(served.defaultName()).isEqualTo("whisper");
    }

    @Test
    void onlyNamedConfigurationsLeaveNoDefault() {
        AsrProviderCandidateBuildItem named = AsrProviderCandidateBuildItem.local("whisper", false, Set.of("small"));

        ServedProviders served = ServedProviders.of(List.of(named), selected("whisper"));

        assertThat(served.names()).containsExactly("small");
        assertThat(served.defaultName()).isNull();
    }

    @Test
    void onlyRemoteProvidersOrNoneFailTheBuild() {
        assertThatThrownBy(() -> ServedProviders.of(List.of(REMOTE), selected("remote")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.asr.openai-api.enabled=true")
                .hasMessageContaining("would call itself");
        assertThatThrownBy(() -> ServedProviders.of(List.of(), Optional.empty()))
                .isInstanceOf(ConfigurationException.class);
    }

    private static Optional<SelectedAsrProviderBuildItem> selected(String provider) {
        return Optional.of(new SelectedAsrProviderBuildItem(provider));
    }
}
