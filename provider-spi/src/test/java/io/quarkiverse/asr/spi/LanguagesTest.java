package io.quarkiverse.asr.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguagesTest {

    @Test
    void languagesAreNamedAsTheOpenAiApiNamesThem() {
        assertThat(Languages.all()).hasSize(100);
        assertThat(Languages.name("en")).isEqualTo("english");
        assertThat(Languages.name("yue")).isEqualTo("cantonese");
        assertThat(Languages.name("xx")).isEqualTo("xx");
    }

    @Test
    void codesAreFoundByCodeOrName() {
        assertThat(Languages.code("EN")).contains("en");
        assertThat(Languages.code(" German ")).contains("de");
        assertThat(Languages.code("haitian creole")).contains("ht");
        assertThat(Languages.code("xx")).isEmpty();
        assertThat(Languages.code("auto")).isEmpty();
    }
}
