package io.quarkiverse.asr.it;

import static io.quarkiverse.asr.it.TestData.SPEECH;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.WavEncoder;
import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The main job: transcribing files named on the command line. */
@QuarkusMainTest
class TranscribeCommandTest {

    private static final int PAD_SECONDS = 6;

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

    /**
     * --vad with the Silero VAD model: the sentence between 6 s of silence on each side (16 s with the espeak mini
     * model, beyond the ~10 s it takes in one window) comes out as when alone, every cue inside the sentence's audio
     * on the file's own timeline (give or take the VAD's padding and whisper's rounding: 0.1 s before, 0.3 s after).
     */
    @Test
    void transcribesOnlyTheSpeechWithVad(QuarkusMainLauncher launcher, @TempDir Path temp) throws IOException {
        int rate = 16_000;
        float[] speech = AudioInput.of(SPEECH.file()).decode(rate).samples();
        float[] padded = new float[speech.length + 2 * PAD_SECONDS * rate];
        System.arraycopy(speech, 0, padded, PAD_SECONDS * rate, speech.length);
        Path file = Files.write(temp.resolve("padded.wav"), WavEncoder.encode(new PcmAudio(padded, rate)));

        LaunchResult result = launcher.launch("--vad", "--vad-model",
                TestData.SHARED.resolve("models/ggml-silero-v6.2.0.bin").toString(), "-of", "srt", "-o",
                temp.toString(), file.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        List<String> srt = Files.readAllLines(temp.resolve("padded.wav.srt"));
        Pattern cue = Pattern.compile("(\\d\\d):(\\d\\d):(\\d\\d),(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d),(\\d{3})");
        long from = PAD_SECONDS * 1000L - 100;
        long to = PAD_SECONDS * 1000L + Math.round(SPEECH.seconds() * 1000) + 300;
        StringBuilder text = new StringBuilder();
        int cues = 0;
        for (int i = 0; i < srt.size(); i++) {
            Matcher times = cue.matcher(srt.get(i));
            if (!times.matches()) {
                continue;
            }
            cues++;
            long start = millis(times, 1);
            long end = millis(times, 5);
            assertThat(start).as(srt.get(i)).isBetween(from, to);
            assertThat(end).as(srt.get(i)).isBetween(start, to);
            for (int j = i + 1; j < srt.size() && !srt.get(j).isEmpty(); j++) {
                text.append(srt.get(j)).append(' ');
            }
        }
        assertThat(cues).as("%s", srt).isPositive();
        assertThat(WordErrorRate.of(SPEECH.reference(), text.toString()).wer()).as(text.toString())
                .isLessThanOrEqualTo(SPEECH.maxWordErrorRate());
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
        assertThat(help.getOutput()).contains("--output-format", "--word-timestamps", "--vad", "-vm, --vad-model",
                "Examples:", "transcribe -of srt -o subtitles", "Exit status:", "the model cannot be loaded");

        LaunchResult wrong = launcher.launch("--output-format", "docx", SPEECH.file().toString());
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.getErrorOutput()).contains("'docx' is not one of txt, srt, vtt, json, verbose-json");

        // the application configures no VAD model
        LaunchResult noVadModel = launcher.launch("--vad", SPEECH.file().toString());
        assertThat(noVadModel.exitCode()).isEqualTo(2);
        assertThat(noVadModel.getErrorOutput()).contains("--vad needs a VAD model: --vad-model FILE");

        LaunchResult vadModelAlone = launcher.launch("--vad-model", "ggml-silero-v6.2.0.bin", SPEECH.file().toString());
        assertThat(vadModelAlone.exitCode()).isEqualTo(2);
        assertThat(vadModelAlone.getErrorOutput()).contains("--vad-model needs --vad");
    }

    /** The time of a cue in milliseconds, from the four groups from {@code group} on (hours, minutes, s, ms). */
    private static long millis(Matcher times, int group) {
        return ((Long.parseLong(times.group(group)) * 60 + Long.parseLong(times.group(group + 1))) * 60
                + Long.parseLong(times.group(group + 2))) * 1000 + Long.parseLong(times.group(group + 3));
    }
}
