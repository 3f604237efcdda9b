package io.quarkiverse.asr.openai.server.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.WavEncoder;
import io.quarkiverse.asr.whisper.natives.testmodel.RandomWeightModel;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Test data for the OpenAI API tests: the shared audio and models, random-weight models and long recordings made from
 * them, and a reader of subtitles.
 */
final class OpenAiTestData {

    static final Path SHARED = Path.of(System.getProperty("asr.shared.dir", "../../shared")).toAbsolutePath()
            .normalize();
    static final Path TINY_EN_MODEL = SHARED.resolve("models/for-tests-ggml-tiny.en.bin");
    static final Path TINY_MODEL = SHARED.resolve("models/for-tests-ggml-tiny.bin");
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    static final Path LONG_FORM = SHARED.resolve("audio/synthetic/long-form.wav");
    static final Path WORK = Path.of("target", "openai-test-data").toAbsolutePath();

    private OpenAiTestData() {
    }

    /**
     * The application of the tests that read transcripts: the API enabled, the random-weight model made from
     * {@link #TINY_EN_MODEL} as the default provider and the one made from {@link #TINY_MODEL} as
     * {@code multilingual} (German unless a request says otherwise), one thread each.
     */
    static QuarkusUnitTest appWithRandomWeightModels() {
        return new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClass(OpenAiTestData.class))
                .overrideConfigKey("quarkus.asr.whisper.model", randomWeightModel(TINY_EN_MODEL).toString())
                .overrideConfigKey("quarkus.asr.whisper.threads", "1")
                .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".model",
                        randomWeightModel(TINY_MODEL).toString())
                .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".language", "de")
                .overrideConfigKey("quarkus.asr.whisper.\"multilingual\".threads", "1")
                .overrideConfigKey("quarkus.asr.openai-api.enabled", "true");
    }

    /**
     * The seeded random-weight model made from a test-sized {@code template}, written on first use: where the
     * template emits no text, it decodes real audio into several segments of deterministic, audio-dependent text.
     */
    static Path randomWeightModel(Path template) {
        return RandomWeightModel.writeOnce(template, WORK.resolve("random-" + template.getFileName()), 42);
    }

    /** A stretch of text with its times in milliseconds: a segment, a word or a subtitle cue. */
    record Timed(long startMillis, long endMillis, String text) {
    }

    /**
     * The cues of an SRT ({@code separator} ',') or WebVTT ('.') body, checking the numbering of SRT cues and the
     * header of WebVTT.
     */
    static List<Timed> cues(String subtitles, char separator) {
        String body = subtitles;
        if (separator == '.') {
            assertThat(subtitles).startsWith("WEBVTT\n\n");
            body = subtitles.substring("WEBVTT\n\n".length());
        }
        String millis = Pattern.quote(String.valueOf(separator)) + "(\\d{3})";
        Pattern timing = Pattern.compile(
                "(\\d\\d):(\\d\\d):(\\d\\d)" + millis + " --> (\\d\\d):(\\d\\d):(\\d\\d)" + millis);
        List<Timed> cues = new ArrayList<>();
        for (String cue : body.isEmpty() ? new String[0] : body.split("\n\n")) {
            List<String> lines = new ArrayList<>(cue.lines().toList());
            if (separator == ',') {
                assertThat(lines.removeFirst()).as("cue number").isEqualTo(String.valueOf(cues.size() + 1));
            }
            Matcher times = timing.matcher(lines.removeFirst());
            assertThat(times.matches()).as(cue).isTrue();
            cues.add(new Timed(millis(times, 1), millis(times, 5), String.join("\n", lines)));
        }
        assertThat(body).as("a blank line after every cue").endsWith(cues.isEmpty() ? "" : "\n\n");
        return cues;
    }

    /** Times in seconds, as the JSON answers give them, to milliseconds. */
    static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }

    private static long millis(Matcher time, int group) {
        return ((Long.parseLong(time.group(group)) * 60 + Long.parseLong(time.group(group + 1))) * 60
                + Long.parseLong(time.group(group + 2))) * 1000 + Long.parseLong(time.group(group + 3));
    }

    /**
     * About six minutes of speech (the 121 s long-form recording three times, 11.6 MB as 16 kHz 16-bit WAV): twelve
     * whisper windows, long enough that a transcription stopped early is told apart from one that finished.
     */
    static synchronized Path longAudio() {
        Path file = WORK.resolve("long-form-x3.wav");
        if (!Files.exists(file)) {
            float[] once = AudioInput.of(LONG_FORM).decode(16_000).samples();
            float[] thrice = new float[once.length * 3];
            for (int i = 0; i < 3; i++) {
                System.arraycopy(once, 0, thrice, i * once.length, once.length);
            }
            write(file, WavEncoder.encode(new PcmAudio(thrice, 16_000)));
        }
        return file;
    }

    /** {@code seconds} of a quiet 440 Hz tone as 16 kHz mono 16-bit WAV. */
    static byte[] toneWav(double seconds) {
        float[] samples = new float[(int) (seconds * 16_000)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.1 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        }
        return WavEncoder.encode(new PcmAudio(samples, 16_000));
    }

    static Path write(Path file, byte[] data) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a complete multipart request over a plain socket and leaves the connection open without reading the
     * answer, so that a test can drop the client while the server transcribes.
     */
    static Socket sendWithoutReading(int port, String path, Path audio, Map<String, String> fields, String apiKey)
            throws IOException {
        String boundary = "----openai-test-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + audio.getFileName() + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(audio));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Socket socket = new Socket("localhost", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                + (apiKey == null ? "" : "Authorization: Bearer " + apiKey + "\r\n")
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + body.size()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeTo(out);
        out.flush();
        return socket;
    }

    /** How many files a folder holds: 0 when it does not exist, -1 when it cannot be read. */
    static int filesIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
