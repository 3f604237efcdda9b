package io.quarkiverse.asr.it;

import static io.quarkiverse.asr.it.TestData.SPEECH;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The main job: transcribing files named on the command line. */
@QuarkusMainTest
class TranscribeCommandTest {

    @Test
    void printsTheTranscriptOfEachFile(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(SPEECH.file().toString());

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.getOutputStream();
        String heading = SPEECH.file() + String.format(Locale.ROOT, " [en, %.1f s, ", SPEECH.seconds());
        int at = lines.indexOf(lines.stream().filter(line -> line.startsWith(heading)).findFirst().orElseThrow(
                () -> new AssertionError("no line starting with " + heading + " in " + lines)));
        String text = lines.get(at + 1);
        assertThat(WordErrorRate.of(SPEECH.reference(), text).wer()).as(text)
                .isLessThanOrEqualTo(SPEECH.maxWordErrorRate());
    }

    @Test
    void failsWithAMessageForAMissingFile(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("/nowhere/missing.wav");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("missing.wav");
    }
}
