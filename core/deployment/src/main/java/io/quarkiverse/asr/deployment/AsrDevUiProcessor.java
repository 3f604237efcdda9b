package io.quarkiverse.asr.deployment;

import io.quarkiverse.asr.runtime.devui.AsrJsonRpcService;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;

/**
 * The Dev UI card of the ASR extensions: the providers with their models, what each tells of itself and their health; a
 * page that transcribes an uploaded file or a recording from the microphone; the providers' model catalogues with what
 * is in the local cache.
 */
class AsrDevUiProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card() {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.webComponentPageBuilder()
                .title("Providers")
                .icon("font-awesome-solid:microphone")
                .componentLink("qwc-asr-providers.js"));
        card.addPage(Page.webComponentPageBuilder()
                .title("Transcribe")
                .icon("font-awesome-solid:file-audio")
                .componentLink("qwc-asr-transcribe.js"));
        card.addPage(Page.webComponentPageBuilder()
                .title("Models")
                .icon("font-awesome-solid:database")
                .componentLink("qwc-asr-models.js"));
        return card;
    }

    @BuildStep(onlyIf = IsDevelopment.class)
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(AsrJsonRpcService.class);
    }
}
