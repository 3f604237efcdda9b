package io.quarkiverse.asr.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TranscriptionOptionsTest {

    private static final TranscriptionOptions CONFIGURED = TranscriptionOptions.builder().language("de")
            .translate(false).initialPrompt("Quarkus").temperature(0.2f).beamSize(5).bestOf(3).noSpeechThreshold(0.4f).timestamps(true)
            .wordTimestamps(false).build();

    @Test
    void unsetOptionsTakeTheDefaults() {
        TranscriptionOptions merged = TranscriptionOptions.defaults().withDefaults(CONFIGURED);

        assertThat(merged).hasToString(CONFIGURED.toString());
    }

    @Test
    void setOptionsWinOverTheDefaults() {
        TranscriptionOptions request = TranscriptionOptions.builder().language("en").translate(true)
                .initialPrompt("Kennedy").temperature(0f).beamSize(1).bestOf(1).noSpeechThreshold(0.9f).timestamps(false)
                .wordTimestamps(true)
                .build();

        assertThat(request.withDefaults(CONFIGURED)).hasToString(request.toString());
    }

    @Test
    void eachOptionIsMergedOnItsOwn() {
        TranscriptionOptions merged = TranscriptionOptions.builder().beamSize(2).build().withDefaults(CONFIGURED);

        assertThat(merged.beamSize()).hasValue(2);
        assertThat(merged.bestOf()).hasValue(3);
        assertThat(merged.language()).hasValue("de");
        assertThat(merged.wordTimestamps()).hasValue(false);
    }

    @Test
    void mergingLeavesBothSidesAsTheyWere() {
        TranscriptionOptions request = TranscriptionOptions.builder().beamSize(2).build();
        String before = request.toString();

        request.withDefaults(CONFIGURED);

        assertThat(request).hasToString(before);
        assertThat(request.language()).isEmpty();
    }

    @Test
    void aBuilderFromOptionsDoesNotChangeThem() {
        TranscriptionOptions.Builder builder = CONFIGURED.toBuilder();
        String before = CONFIGURED.toString();

        builder.language("fr").beamSize(null);

        assertThat(CONFIGURED).hasToString(before);
        assertThat(builder.build().language()).hasValue("fr");
        assertThat(builder.build().beamSize()).isEmpty();
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThatThrownBy(() -> TranscriptionOptions.builder().temperature(1.5f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> TranscriptionOptions.builder().noSpeechThreshold(-0.1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noSpeechThreshold");
        assertThatThrownBy(() -> TranscriptionOptions.builder().beamSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beamSize");
        assertThatThrownBy(() -> TranscriptionOptions.builder().language("english!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("language");
    }
}
