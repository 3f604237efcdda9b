package io.quarkiverse.asr.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.TranscriptionOptions;

class RequestParametersTest {

    private final TranscriptionOptions.Builder options = TranscriptionOptions.builder();

    @Test
    void blankIsUnset() {
        assertThat(RequestParameters.language("language", " ", options::language)).isEmpty();
        assertThat(RequestParameters.flag("translate", null, options::translate)).isEmpty();
        assertThat(RequestParameters.number("temperature", "", options::temperature)).isEmpty();
        assertThat(options.build()).usingRecursiveComparison().isEqualTo(TranscriptionOptions.defaults());
    }

    @Test
    void validValuesAreSet() {
        assertThat(RequestParameters.language("language", "German", options::language)).contains("de");
        assertThat(RequestParameters.language("language", "AUTO", options::language)).contains("auto");
        RequestParameters.flag("translate", "TRUE", options::translate);
        RequestParameters.number("temperature", " 0.2 ", options::temperature);
        RequestParameters.integer("beamSize", "5", options::beamSize);
        TranscriptionOptions built = options.build();
        assertThat(built.language()).contains("auto");
        assertThat(built.translate()).contains(true);
        assertThat(built.temperature()).contains(0.2f);
        assertThat(built.beamSize()).hasValue(5);
    }

    @Test
    void invalidValuesNameTheParameterAndTheValuesItTakes() {
        assertThatThrownBy(() -> RequestParameters.flag("translate", "maybe", options::translate))
                .isInstanceOfSatisfying(InvalidParameterException.class,
                        e -> assertThat(e.parameter()).isEqualTo("translate"))
                .hasMessage("'maybe' is not a valid translate: use true or false.");
        assertThatThrownBy(() -> RequestParameters.integer("beam_size", "abc", options::beamSize))
                .hasMessage("'abc' is not a valid beam_size: use a whole number.");
        assertThatThrownBy(() -> RequestParameters.integer("beam_size", "0", options::beamSize))
                .hasMessage("'0' is not a valid beam_size: it must be between 1 and 16.");
        assertThatThrownBy(() -> RequestParameters.number("temperature", "NaN", options::temperature))
                .hasMessage("'NaN' is not a valid temperature: use a number.");
        assertThatThrownBy(() -> RequestParameters.language("language", "xx", options::language))
                .hasMessageStartingWith("'xx' is not a supported language: use 'auto' or an ISO 639-1 code")
                .hasMessageContaining("en, zh, de");
    }
}
