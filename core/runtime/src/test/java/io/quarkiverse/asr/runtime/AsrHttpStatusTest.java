package io.quarkiverse.asr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AudioTooLargeException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;

class AsrHttpStatusTest {

    @Test
    void clientErrorsAre400() {
        assertThat(AsrHttpStatus.of(new UnsupportedAudioException("not audio")))
                .isEqualTo(new AsrHttpStatus(400, "unsupported_audio", OptionalLong.empty()));
        assertThat(AsrHttpStatus.of(new UnsupportedFeatureException("English-only")))
                .isEqualTo(new AsrHttpStatus(400, "unsupported_feature", OptionalLong.empty()));
        assertThat(AsrHttpStatus.of(new AudioTooLargeException("hours of audio")))
                .isEqualTo(new AsrHttpStatus(413, "audio_too_large", OptionalLong.empty()));
    }

    @Test
    void overloadIs503WithTheHintInWholeSecondsRoundedUp() {
        assertThat(AsrHttpStatus.of(new OverloadedException("busy", Duration.ofMillis(1500))))
                .isEqualTo(new AsrHttpStatus(503, "overloaded", OptionalLong.of(2)));
        assertThat(AsrHttpStatus.of(new OverloadedException("busy", Duration.ZERO)).retryAfterSeconds())
                .hasValue(1);
        assertThat(AsrHttpStatus.of(new OverloadedException("busy", null)).retryAfterSeconds())
                .hasValue(1);
    }

    @Test
    void serverSideFailures() {
        assertThat(AsrHttpStatus.of(new ProviderUnavailableException("no library")))
                .isEqualTo(new AsrHttpStatus(503, "unavailable", OptionalLong.of(10)));
        assertThat(AsrHttpStatus.of(new TranscriptionTimeoutException("took longer than PT1S")))
                .isEqualTo(new AsrHttpStatus(504, "timeout", OptionalLong.empty()));
        assertThat(AsrHttpStatus.of(new CancelledException("shut down")))
                .isEqualTo(new AsrHttpStatus(503, "cancelled", OptionalLong.empty()));
        assertThat(AsrHttpStatus.of(new ModelException("truncated")))
                .isEqualTo(new AsrHttpStatus(500, "model_error", OptionalLong.empty()));
        assertThat(AsrHttpStatus.of(new AsrException("engine failed")))
                .isEqualTo(new AsrHttpStatus(500, "asr_error", OptionalLong.empty()));
    }
}
