package io.quarkiverse.asr.whisper.runtime;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.tck.AsrProviderTck;

/**
 * The whisper provider passes the provider conformance kit with real text: the espeak mini model on a synthetic
 * sentence it transcribes word for word, so every transcript the kit checks must be that sentence.
 */
class EspeakMiniTckTest extends AsrProviderTck {

    private static final String SENTENCE = "s06";

    private static WhisperAsrProvider provider;

    @BeforeAll
    static void start() {
        provider = WhisperAsrProvider.create(TestData.ESPEAK_MINI_MODEL, TestData.settings(1, 4, Optional.empty()));
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
    }

    @Override
    protected AsrProvider provider() {
        return provider;
    }

    @Override
    protected AudioInput speech() {
        return AudioInput.of(TestData.SYNTHETIC.resolve(SENTENCE + ".wav"));
    }

    @Override
    protected Optional<String> expectedText() {
        return Optional.of(TestData.syntheticTranscripts().get(SENTENCE));
    }

    @Override
    protected double maxWordErrorRate() {
        return 0;
    }
}
