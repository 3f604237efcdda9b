package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Path;

import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.whisper.natives.FullParams;
import io.quarkiverse.asr.whisper.natives.VadParams;

/** Maps SPI options onto whisper.cpp decoding parameters. */
final class WhisperParams {

    private WhisperParams() {
    }

    /** @param options a request's options, merged with the configured defaults */
    static FullParams of(TranscriptionOptions options, int threads) {
        return builder(options, threads).build();
    }

    /** The same, for whisper.cpp to transcribe only the speech its own VAD finds with {@code model}. */
    static FullParams withVad(TranscriptionOptions options, int threads, Path model, VadParameters vad) {
        return builder(options, threads).vad(true).vadModelPath(model)
                .vadParams(new VadParams(vad.threshold(), vad.minSpeechDurationMs(), vad.minSilenceDurationMs(),
                        vad.maxSpeechDurationSeconds(), vad.speechPadMs(), VadParams.defaults().samplesOverlapSeconds()))
                .build();
    }

    private static FullParams.Builder builder(TranscriptionOptions options, int threads) {
        int beamSize = options.beamSize().orElse(1);
        FullParams.Builder params = FullParams.builder()
                .strategy(beamSize > 1 ? FullParams.Strategy.BEAM_SEARCH : FullParams.Strategy.GREEDY);
        if (beamSize > 1) {
            params.beamSize(beamSize);
        }
        options.bestOf().ifPresent(params::bestOf);
        options.noSpeechThreshold().ifPresent(params::noSpeechThreshold);
        params.threads(threads);
        String language = options.language().orElse(TranscriptionOptions.AUTO_LANGUAGE);
        params.language(language);
        options.translate().ifPresent(params::translate);
        options.initialPrompt().ifPresent(params::initialPrompt);
        options.temperature().ifPresent(params::temperature);
        params.noTimestamps(!options.timestamps().orElse(true));
        params.tokenTimestamps(options.wordTimestamps().orElse(false));
        return params;
    }
}
