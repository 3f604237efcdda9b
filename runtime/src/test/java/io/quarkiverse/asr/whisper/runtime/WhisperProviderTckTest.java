package io.quarkiverse.asr.whisper.runtime;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.tck.AsrProviderTck;

/**
 * The whisper provider passes the provider conformance kit, on a random-weight model (English-only, so without
 * translation) that turns jfk.wav into several segments of deterministic word salad.
 */
class WhisperProviderTckTest extends AsrProviderTck {

    private static WhisperAsrProvider provider;

    @BeforeAll
    static void start() {
        provider = WhisperAsrProvider.create(TestData.englishModel(), TestData.settings(1, 4, Optional.empty()));
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
        return AudioInput.of(TestData.JFK);
    }
}
