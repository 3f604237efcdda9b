package io.quarkiverse.asr.it;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;

/** The exit status of the command line, one per kind of failure, listed in its {@code --help}. */
enum ExitStatus {

    OK(0, "every file was transcribed"),
    FAILED(1, "a transcription failed otherwise"),
    USAGE(2, "the command line is wrong"),
    UNSUPPORTED_AUDIO(3, "a file is missing, unreadable or not audio the decoders know"),
    UNSUPPORTED_FEATURE(4, "the model cannot do what was asked (--translate with an English-only model)"),
    MODEL(5, "the model cannot be loaded"),
    UNAVAILABLE(6, "the provider is unavailable, overloaded or was stopped"),
    TIMEOUT(7, "a transcription took longer than the provider's timeout"),
    OUTPUT(8, "an output file cannot be written");

    final int code;
    final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    static ExitStatus of(AsrException failure) {
        return switch (failure) {
            case UnsupportedAudioException e -> UNSUPPORTED_AUDIO;
            case UnsupportedFeatureException e -> UNSUPPORTED_FEATURE;
            case ModelException e -> MODEL;
            case OverloadedException e -> UNAVAILABLE;
            case ProviderUnavailableException e -> UNAVAILABLE;
            case CancelledException e -> UNAVAILABLE;
            case TranscriptionTimeoutException e -> TIMEOUT;
            default -> FAILED;
        };
    }

    /** {@code --help}'s list of exit statuses: each code and what it means. */
    static Map<String, String> described() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitStatus status : values()) {
            list.put(Integer.toString(status.code), status.meaning);
        }
        return list;
    }
}
