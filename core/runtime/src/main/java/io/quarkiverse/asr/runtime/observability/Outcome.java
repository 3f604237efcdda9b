package io.quarkiverse.asr.runtime.observability;

import io.quarkiverse.asr.runtime.AsrHttpStatus;
import io.quarkiverse.asr.spi.AsrException;

/** How a transcription ended, as metrics tag it and traces record it. */
final class Outcome {

    static final String SUCCESS = "success";
    /** The caller went away (cancelled its subscription) before the result. */
    static final String CANCELLED = "cancelled";

    private Outcome() {
    }

    /**
     * The failure's code in the one table of failures ({@code unsupported_audio}, {@code overloaded}, {@code timeout}...,
     * see {@code docs/errors.md}); {@code error} for a failure that is not a provider's typed error.
     */
    static String of(Throwable failure) {
        return failure instanceof AsrException e ? AsrHttpStatus.of(e).code() : "error";
    }
}
