package io.quarkiverse.asr.runtime.observability;

import io.quarkiverse.asr.spi.ProviderInfo;

/**
 * An observer of every provider, as a bean: the core extension registers one for Micrometer when the application has
 * {@code quarkus-micrometer} and one for OpenTelemetry when it has {@code quarkus-opentelemetry}. Providers reach them
 * through {@link ProviderTelemetry}.
 */
public interface AsrInstrumentation {

    /** The instruments of one provider instance, created when the provider starts. */
    ProviderInstruments forProvider(ProviderInfo provider);
}
