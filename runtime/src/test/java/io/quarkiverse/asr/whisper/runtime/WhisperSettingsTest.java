package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.whisper.natives.FullParams;
import io.quarkiverse.asr.whisper.runtime.config.WhisperRuntimeConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Configuration becomes decoding defaults, which requests override, and then whisper.cpp parameters. */
class WhisperSettingsTest {

    private static final WhisperRuntimeConfig CONFIG = config();

    @Test
    void decodingPropertiesBecomeTheDefaultsOfEveryRequest() {
        WhisperSettings settings = WhisperSettings.from(ComputeBackend.CPU, CONFIG, CONFIG.defaultConfig());

        FullParams params = WhisperParams.of(TranscriptionOptions.defaults().withDefaults(settings.decoding()),
                settings.threads());

        assertThat(params.threads()).isEqualTo(2);
        assertThat(params.noSpeechThreshold()).isEqualTo(0.3f);
        assertThat(params.beamSize()).isEqualTo(4);
        assertThat(params.strategy()).isEqualTo(FullParams.Strategy.BEAM_SEARCH);
        assertThat(params.language()).isEqualTo("de");
    }

    @Test
    void aRequestOverridesTheConfiguredDefaults() {
        WhisperSettings settings = WhisperSettings.from(ComputeBackend.CPU, CONFIG, CONFIG.defaultConfig());
        TranscriptionOptions request = TranscriptionOptions.builder().noSpeechThreshold(0.8f).beamSize(1).build();

        FullParams params = WhisperParams.of(request.withDefaults(settings.decoding()), settings.threads());

        assertThat(params.noSpeechThreshold()).isEqualTo(0.8f);
        assertThat(params.strategy()).isEqualTo(FullParams.Strategy.GREEDY);
        assertThat(params.language()).isEqualTo("de");
    }

    @Test
    void unsetPropertiesLeaveWhisperCppItsDefaults() {
        WhisperRuntimeConfig bare = builder().build().getConfigMapping(WhisperRuntimeConfig.class);
        WhisperSettings settings = WhisperSettings.from(ComputeBackend.CPU, bare, bare.defaultConfig());

        FullParams params = WhisperParams.of(TranscriptionOptions.defaults().withDefaults(settings.decoding()),
                settings.threads());

        assertThat(params.noSpeechThreshold()).isNull();
        assertThat(params.beamSize()).isNull();
        assertThat(params.threads()).isBetween(1, 4);
    }

    @Test
    void defaultThreadsShareTheCoresAmongConcurrentTranscriptions() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(WhisperSettings.defaultThreads(1)).isEqualTo(Math.min(4, cores));
        assertThat(WhisperSettings.defaultThreads(2)).isEqualTo(Math.clamp(cores / 2, 1, 4));
        // never more threads in all than cores, while a transcription has a core of its own
        for (int concurrent = 1; concurrent <= cores; concurrent++) {
            int threads = WhisperSettings.defaultThreads(concurrent);
            assertThat(threads * concurrent).as("%d x %d on %d cores", concurrent, threads, cores)
                    .isLessThanOrEqualTo(cores);
        }
        assertThat(WhisperSettings.defaultThreads(cores + 1)).isEqualTo(1);
        assertThat(WhisperSettings.defaults().threads()).isEqualTo(WhisperSettings.defaultThreads(1));
    }

    @Test
    void vadPropertiesBecomeTheDetectorsSettingsAndTheFilesDefault() {
        WhisperRuntimeConfig vad = builder()
                .withDefaultValue("quarkus.asr.whisper.vad.model-path", "models/silero.bin")
                .withDefaultValue("quarkus.asr.whisper.vad.enabled", "true")
                .withDefaultValue("quarkus.asr.whisper.vad.threshold", "0.6")
                .withDefaultValue("quarkus.asr.whisper.vad.min-silence-duration", "200ms")
                .build().getConfigMapping(WhisperRuntimeConfig.class);
        WhisperSettings settings = WhisperSettings.from(ComputeBackend.CPU, vad, vad.defaultConfig());

        assertThat(settings.vadModel()).contains(Path.of("models/silero.bin"));
        assertThat(settings.vadParameters()).isEqualTo(new VadParameters(0.6f, 250, 200, Float.MAX_VALUE, 30));
        assertThat(TranscriptionOptions.defaults().withDefaults(settings.decoding()).vad()).contains(true);
        assertThat(TranscriptionOptions.builder().vad(false).build().withDefaults(settings.decoding()).vad())
                .contains(false);
        // off unless asked for, and then only with a model
        assertThat(WhisperSettings.from(ComputeBackend.CPU, CONFIG, CONFIG.defaultConfig()).decoding().vad())
                .contains(false);
        WhisperSettings defaults = WhisperSettings.defaults();
        assertThatThrownBy(() -> new WhisperSettings(defaults.libraryPath(), defaults.nativeCacheDir(),
                defaults.backend(), 0, Optional.empty(), true, 1, 0, Optional.empty(), 1,
                TranscriptionOptions.builder().vad(true).build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vad.model-path");
    }

    private static WhisperRuntimeConfig config() {
        SmallRyeConfig config = builder()
                .withDefaultValue("quarkus.asr.whisper.threads", "2")
                .withDefaultValue("quarkus.asr.whisper.language", "de")
                .withDefaultValue("quarkus.asr.whisper.beam-size", "4")
                .withDefaultValue("quarkus.asr.whisper.no-speech-threshold", "0.3")
                .build();
        return config.getConfigMapping(WhisperRuntimeConfig.class);
    }

    /** The mapping, with Quarkus's durations ({@code 250ms}) as in an application. */
    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder().withMapping(WhisperRuntimeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter());
    }
}
