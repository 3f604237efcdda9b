package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkiverse.asr.spi.ProviderUnavailableException;

/** What start-up says when the loaded library lacks the backend the configuration asks for. */
final class UnavailableBackends {

    private UnavailableBackends() {
    }

    /** Asserts that {@code failure} comes from a provider that asked the bundled CPU library for {@code backend}. */
    static void assertRefused(Throwable failure, String setting, String backend, String cmakeOption) {
        Throwable cause = failure;
        // by name: the application's class loader, not the test's, loaded the exception's class
        while (cause != null && !cause.getClass().getName().equals(ProviderUnavailableException.class.getName())) {
            cause = cause.getCause();
        }
        assertThat(cause).as("a ProviderUnavailableException in the causes of %s", failure).isNotNull();
        assertThat(cause.getMessage())
                .startsWith(setting + " cannot be used. The whisper library ")
                .contains("libwhisper", "(whisper.cpp 1.7.1, bundled build ", "cannot compute on " + backend
                        + ": it has no " + backend + " backend. Its backends: CPU [CPU: ")
                .contains("To compute on " + backend + ", build whisper.cpp (1.7.0 to 1.7.5, ", cmakeOption,
                        "set quarkus.asr.whisper.library-path to its libwhisper (see docs/gpu.md)",
                        "Or set gpu=auto or cpu.");
    }
}
