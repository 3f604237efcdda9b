package io.quarkiverse.asr.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The main job: transcribing files named on the command line. */
@QuarkusMainTest
class TranscribeCommandTest {

    @Test
    void printsTheTranscriptOfEachFile(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(TestData.JFK.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("jfk.wav [en, 11.0 s");
        TestData.trainedModel().ifPresent(model -> assertThat(result.getOutput()).containsIgnoringCase("fellow Americans"));
    }

    @Test
    void failsWithAMessageForAMissingFile(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("/nowhere/missing.wav");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("missing.wav");
    }
}
