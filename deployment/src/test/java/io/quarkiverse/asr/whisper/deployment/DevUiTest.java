package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.devui.tests.DevUIJsonRPCTest;
import io.quarkus.test.QuarkusDevModeTest;

/** The Dev UI card's JSON-RPC method, in dev mode: the providers with their model and the whisper.cpp library. */
class DevUiTest extends DevUIJsonRPCTest {

    @RegisterExtension
    static final QuarkusDevModeTest app = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class).addAsResource(new StringAsset(
                    "quarkus.asr.whisper.model=" + TestData.TINY_EN_MODEL + "\n"), "application.properties"));

    DevUiTest() {
        super("quarkus-asr");
    }

    @Test
    void listsTheProvidersWithTheirModelAndLibrary() throws Exception {
        JsonNode providers = executeJsonRPCMethod("getProviders");

        assertThat(providers).hasSize(1);
        JsonNode whisper = providers.get(0);
        assertThat(whisper.get("name").asText()).isEqualTo("whisper");
        assertThat(whisper.get("isDefault").asBoolean()).isTrue();
        assertThat(whisper.get("provider").asText()).isEqualTo("whisper");
        assertThat(whisper.get("model").asText()).isEqualTo("for-tests-ggml-tiny.en.bin");
        assertThat(whisper.get("capabilities").toString()).contains("FILE_TRANSCRIPTION", "STREAMING");
        assertThat(whisper.get("details").get("libraryVersion").asText()).isEqualTo("1.7.1");
        assertThat(whisper.get("details").get("systemInfo").asText()).isNotBlank();
    }
}
