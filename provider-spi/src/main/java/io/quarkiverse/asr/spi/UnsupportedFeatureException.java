package io.quarkiverse.asr.spi;

/** The request asks for something this provider does not offer (see {@link ProviderInfo#capabilities()}). */
public class UnsupportedFeatureException extends AsrException {

    public UnsupportedFeatureException(String message) {
        super(message);
    }
}
