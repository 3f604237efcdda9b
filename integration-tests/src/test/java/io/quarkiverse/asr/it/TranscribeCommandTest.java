package io.quarkiverse.asr.it;

import static io.quarkiverse.asr.it.TestData.SPEECH;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * Two recordings, one in another container, to SubRip files in a folder that does not exist yet, on a provider of
     * the command's own (--threads), with the progress bar forced on although the output is not a terminal.
     */
    @Test
    void writesSubtitlesOfSeveralFilesToAFolder(QuarkusMainLauncher launcher, @TempDir Path temp) throws IOException {
        Path folder = temp.resolve("subtitles");
        Path other = SPEECH.formats().resolve(SPEECH.file().getFileName().toString().replace(".wav", ".mp3"));

        LaunchResult result = launcher.launch("--output-format", "srt", "--output-dir", folder.toString(),
                "--threads", "1", "--progress", SPEECH.file().toString(), other.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        for (Path input : List.of(SPEECH.file(), other)) {
            Path srt = folder.resolve(input.getFileName() + ".srt");
            assertThat(result.getOutputStream()).contains(srt.toString());
            List<String> cues = Files.readAllLines(srt);
            assertThat(cues.get(0)).isEqualTo("1");
            assertThat(cues.get(1)).matches("00:00:\\d\\d,\\d{3} --> 00:00:\\d\\d,\\d{3}");
            String text = String.join(" ", cues.subList(2, cues.indexOf("")));
            assertThat(WordErrorRate.of(SPEECH.reference(), text).wer()).as(text)
                    .isLessThanOrEqualTo(SPEECH.maxWordErrorRate());
        }
        assertThat(result.getErrorOutput()).contains(SPEECH.file().getFileName() + " [" + "#".repeat(30) + "] 100%");
    }

    @Test
    void exitsWithTheStatusOfTheFirstFailureAndGoesOnWithTheOtherFiles(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("/nowhere/missing.wav", SPEECH.file().toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("missing.wav");
        assertThat(result.getOutput()).contains(SPEECH.file() + " [en, ");
    }

    @Test
    void explainsItselfAndRefusesWrongOptions(QuarkusMainLauncher launcher) {
        LaunchResult help = launcher.launch("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.getOutput()).contains("--output-format", "--word-timestamps", "Examples:",
                "transcribe -of srt -o subtitles", "Exit status:", "the model cannot be loaded");

        LaunchResult wrong = launcher.launch("--output-format", "docx", SPEECH.file().toString());
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.getErrorOutput()).contains("'docx' is not one of txt, srt, vtt, json, verbose-json");
    }
}
