package io.quarkiverse.asr.whisper.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.logging.Logger;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.WavEncoder;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.test.QuarkusDevModeTest;
import io.quarkus.test.config.TestConfigProviderResolver;

/**
 * The Dev UI card in dev mode: its JSON-RPC methods (the providers with their model and the whisper.cpp library, their
 * health, the model catalogue with what the cache holds, transcription of an upload and its typed errors), and its
 * Transcribe page in a real headless Chromium, which transcribes a file and a recording from a fake microphone.
 * <p>
 * The default provider serves the espeak-mini model, which transcribes the synthetic sentences word for word; the
 * provider {@code tiny} serves the catalogue model {@code tiny.en} from a models folder the test fills.
 */
class DevUiTest {

    private static final Path MODELS_DIR = modelsDir();
    /** The sentence of {@link TestData#QUICK_BROWN_FOX}. */
    private static final String SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank.";
    private static final Logger LOG = Logger.getLogger(DevUiTest.class);
    /** The pieces the page uploads: the Dev UI's web socket refuses messages over 64 KiB. */
    private static final int PIECE_BYTES = 32 * 1024;
    /** A hang guard, not a speed expectation. */
    private static final Duration AWAIT = Duration.ofMinutes(2);

    @RegisterExtension
    static final QuarkusDevModeTest app = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class).addAsResource(new StringAsset(
                    "quarkus.asr.whisper.model=" + TestData.ESPEAK_MINI_MODEL + "\n"
                            + "quarkus.asr.whisper.models-dir=" + MODELS_DIR + "\n"
                            + "quarkus.asr.whisper.\"tiny\".model=tiny.en\n"),
                    "application.properties"));


    /** A models folder that holds the catalogue model {@code tiny.en}: the random-weight test model of that shape. */
    private static Path modelsDir() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "devui-models")).toAbsolutePath();
            Files.copy(TestData.TINY_EN_MODEL, dir.resolve("ggml-tiny.en.bin"), StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One dev-mode start for all (it takes long): the JSON-RPC methods, then the page in a browser. */
    @Test
    void devUiCard() throws Exception {
        // where the dev-mode application listens
        String url = ((TestConfigProviderResolver) ConfigProviderResolver.instance())
                .getConfig(LaunchMode.DEVELOPMENT).getValue("test.url", String.class);
        try (JsonRpc rpc = new JsonRpc(URI.create(url.replaceFirst("^http", "ws") + "/q/dev-ui/json-rpc-ws"))) {
            listsTheProvidersWithTheirModelLibraryAndHealth(rpc);
            listsTheCatalogueWithWhatTheCacheHolds(rpc);
            transcribesAnUploadInPiecesWithTheSegmentsAndTheirTimes(rpc);
            refusesBadAudioAndOversizedUploadsWithTypedMessages(rpc);
        }
        transcribePageTranscribesAFileAndTheMicrophone(url);
    }

    private void listsTheProvidersWithTheirModelLibraryAndHealth(JsonRpc rpc) throws Exception {
        JsonNode providers = rpc.call("getProviders");

        assertThat(providers).hasSize(2);
        JsonNode whisper = providers.get(0);
        assertThat(whisper.get("name").asText()).isEqualTo("whisper");
        assertThat(whisper.get("isDefault").asBoolean()).isTrue();
        assertThat(whisper.get("provider").asText()).isEqualTo("whisper");
        assertThat(whisper.get("model").asText()).isEqualTo("for-tests-ggml-espeak-mini.en.bin");
        assertThat(whisper.get("capabilities").toString()).contains("FILE_TRANSCRIPTION", "STREAMING");
        assertThat(whisper.get("details").get("libraryVersion").asText()).isEqualTo("1.7.1");
        assertThat(whisper.get("details").get("variant").asText()).isNotBlank();
        assertThat(whisper.get("details").get("systemInfo").asText()).isNotBlank();
        JsonNode tiny = providers.get(1);
        assertThat(tiny.get("name").asText()).isEqualTo("tiny");
        assertThat(tiny.get("isDefault").asBoolean()).isFalse();
        assertThat(tiny.get("model").asText()).isEqualTo("ggml-tiny.en.bin");

        JsonNode health = rpc.call("getHealth");
        assertThat(health).hasSize(2);
        assertThat(health.get(0).get("name").asText()).isEqualTo("whisper");
        assertThat(health.get(0).get("status").asText()).isEqualTo("UP");
        assertThat(health.get(0).get("data").get("modelFile").asText())
                .isEqualTo(TestData.ESPEAK_MINI_MODEL.toString());
        assertThat(health.get(0).get("data").get("activeTranscriptions").asText()).isEqualTo("0");
        assertThat(health.get(1).get("name").asText()).isEqualTo("tiny");
        assertThat(health.get(1).get("status").asText()).isEqualTo("UP");
        assertThat(health.get(1).get("data").get("modelFile").asText())
                .isEqualTo(MODELS_DIR.resolve("ggml-tiny.en.bin").toString());
    }

    private void listsTheCatalogueWithWhatTheCacheHolds(JsonRpc rpc) throws Exception {
        JsonNode models = rpc.call("getModels");

        List<JsonNode> all = StreamSupport.stream(models.spliterator(), false).toList();
        assertThat(all).extracting(m -> m.get("name").asText()).contains("tiny.en", "base.en", "large-v3-turbo");
        JsonNode tinyEn = all.stream().filter(m -> m.get("name").asText().equals("tiny.en")).findFirst().orElseThrow();
        assertThat(tinyEn.get("provider").asText()).isEqualTo("whisper");
        assertThat(tinyEn.get("cached").asBoolean()).isTrue();
        assertThat(tinyEn.get("inUse").asBoolean()).isTrue();
        assertThat(tinyEn.get("path").asText()).isEqualTo(MODELS_DIR.resolve("ggml-tiny.en.bin").toString());
        assertThat(tinyEn.get("size").asLong()).isGreaterThan(70_000_000L);
        JsonNode baseEn = all.stream().filter(m -> m.get("name").asText().equals("base.en")).findFirst().orElseThrow();
        assertThat(baseEn.get("cached").asBoolean()).isFalse();
        assertThat(baseEn.get("inUse").asBoolean()).isFalse();
        assertThat(baseEn.get("path").asText()).isEqualTo(MODELS_DIR.resolve("ggml-base.en.bin").toString());
        assertThat(all).filteredOn(m -> m.get("cached").asBoolean()).hasSize(1);
    }

    private void transcribesAnUploadInPiecesWithTheSegmentsAndTheirTimes(JsonRpc rpc) throws Exception {
        byte[] wav = Files.readAllBytes(TestData.QUICK_BROWN_FOX);
        String uploadId = upload(rpc, "s01.wav", wav);

        JsonNode transcript = rpc.call("transcribe",
                Map.of("uploadId", uploadId, "provider", "", "language", "en"));

        assertThat(transcript.hasNonNull("error")).as(transcript.toString()).isFalse();
        assertThat(transcript.get("provider").asText()).isEqualTo("whisper");
        assertThat(transcript.get("text").asText().strip()).isEqualTo(SENTENCE);
        assertThat(transcript.get("language").asText()).isEqualTo("en");
        assertThat(transcript.get("duration").asDouble()).isBetween(4.4, 4.5);
        JsonNode segment = transcript.get("segments").get(0);
        assertThat(segment.get("text").asText().strip()).isEqualTo(SENTENCE);
        assertThat(segment.get("start").asDouble()).isBetween(0.0, 0.1);
        assertThat(segment.get("end").asDouble()).isBetween(2.5, 4.6);

        // the upload is gone once transcribed
        JsonNode again = rpc.call("transcribe", Map.of("uploadId", uploadId, "provider", "",
                "language", ""));
        assertThat(again.get("error").get("type").asText()).isEqualTo("invalid_request");
        assertThat(again.get("error").get("message").asText()).contains("No upload " + uploadId);
    }

    private void refusesBadAudioAndOversizedUploadsWithTypedMessages(JsonRpc rpc) throws Exception {
        String uploadId = upload(rpc, "notes.wav", "these are not the bytes of a recording".getBytes());
        JsonNode badAudio = rpc.call("transcribe",
                Map.of("uploadId", uploadId, "provider", "whisper", "language", ""));
        assertThat(badAudio.hasNonNull("text")).isFalse();
        assertThat(badAudio.get("error").get("type").asText()).isEqualTo("unsupported_audio");
        assertThat(badAudio.get("error").get("message").asText()).contains("notes.wav").doesNotContain("\tat ");

        JsonNode unknownProvider = rpc.call("transcribe", Map.of("uploadId",
                upload(rpc, "s01.wav", Files.readAllBytes(TestData.QUICK_BROWN_FOX)), "provider", "cloud", "language", ""));
        assertThat(unknownProvider.get("error").get("type").asText()).isEqualTo("invalid_request");
        assertThat(unknownProvider.get("error").get("message").asText()).isEqualTo("No provider named 'cloud'");

        JsonNode tooLarge = rpc.call("startUpload", Map.of("name", "concert.flac", "size", 26L << 20));
        assertThat(tooLarge.hasNonNull("uploadId")).isFalse();
        assertThat(tooLarge.get("error").get("type").asText()).isEqualTo("audio_too_large");
        assertThat(tooLarge.get("error").get("message").asText())
                .isEqualTo("concert.flac has 27262976 bytes; the Dev UI transcribes files of at most 25 MiB");
    }

    /** Uploads {@code bytes} as the page does, in pieces of 32 KiB, and returns the upload's id. */
    private static String upload(JsonRpc rpc, String name, byte[] bytes) throws Exception {
        JsonNode started = rpc.call("startUpload", Map.of("name", name, "size", bytes.length));
        assertThat(started.hasNonNull("error")).as(started.toString()).isFalse();
        String uploadId = started.get("uploadId").asText();
        for (int offset = 0; offset < bytes.length; offset += PIECE_BYTES) {
            byte[] piece = Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + PIECE_BYTES));
            JsonNode appended = rpc.call("appendUpload",
                    Map.of("uploadId", uploadId, "data", Base64.getEncoder().encodeToString(piece)));
            assertThat(appended.hasNonNull("error")).as(appended.toString()).isFalse();
            assertThat(appended.get("received").asLong()).isEqualTo(offset + piece.length);
        }
        return uploadId;
    }

    /**
     * The pages in a headless Chromium whose microphone plays the same recording: on the Transcribe page a file chosen
     * and then a recording are transcribed, and the page shows their text and segments, then a file that is not audio
     * shows its typed error; the Providers and Models pages show the health and the catalogue; the console logs no
     * error. Screenshots are left in {@code target/screenshots}. Skipped only where no Chromium and chromedriver are
     * installed.
     */
    private void transcribePageTranscribesAFileAndTheMicrophone(String url) throws Exception {
        Path browser = Path.of("/usr/bin/chromium");
        Path driverBinary = Path.of("/usr/bin/chromedriver");
        if (!Files.isExecutable(browser) || !Files.isExecutable(driverBinary)) {
            LOG.warnf("Skipped the Transcribe page in Chromium: no %s with %s; install Debian's chromium and"
                    + " chromium-driver", browser, driverBinary);
            return;
        }
        ChromeOptions options = new ChromeOptions();
        // the browser and the driver are given: Selenium Manager has nothing to look for, and downloads nothing
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,900",
                "--user-data-dir=" + Files.createTempDirectory("devui-chromium"),
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                // played once from the start of the capture, then silence
                "--use-file-for-fake-audio-capture=" + microphoneRecording() + "%noloop");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile())
                .usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        try {
            chrome.get(url + "/q/dev-ui/quarkus-asr/transcribe");
            SearchContext page = await("the Transcribe page", () -> component(chrome, "qwc-asr-transcribe"));
            await("the page's buttons", () -> page.findElements(By.id("record")).stream().findFirst().orElse(null));

            page.findElement(By.id("file"))
                    .sendKeys(TestData.QUICK_BROWN_FOX.toAbsolutePath().toString());
            WebElement transcript = await("the transcript of the file",
                    () -> page.findElements(By.id("transcript")).stream().findFirst().orElse(null));
            assertThat(transcript.getText().strip()).isEqualTo(SENTENCE);
            assertThat(page.findElement(By.id("summary")).getText())
                    .startsWith("whisper: 1 segment, 4.5 s of audio, language en");
            screenshot(chrome, "devui-transcribe.png");

            // the fake microphone plays a second of silence and the sentence from the start of the capture, then silence
            page.findElement(By.id("record")).click();
            await("7 s of recording", () -> page.findElements(By.id("status")).stream()
                    .filter(status -> status.getText().matches("Recording\\.\\.\\. [7-9] s")).findFirst().orElse(null));
            assertThat(page.findElements(By.id("transcript"))).isEmpty();
            page.findElement(By.id("record")).click();
            transcript = await("the transcript of the recording",
                    () -> page.findElements(By.id("transcript")).stream().findFirst().orElse(null));
            assertThat(transcript.getText()).contains("quick brown fox jumps over the lazy dog");
            assertThat(page.findElement(By.id("summary")).getText())
                    .matches("whisper: \\d+ segments?, ([6-9]|1\\d)\\.\\d s of audio.*");
            screenshot(chrome, "devui-transcribe-microphone.png");

            // a file that is not audio: the typed message, no transcript
            Path notAudio = Files.writeString(Files.createTempDirectory("devui").resolve("notes.wav"), "no audio here");
            page.findElement(By.id("file")).sendKeys(notAudio.toString());
            WebElement error = await("the error", () -> page.findElements(By.id("error")).stream().findFirst()
                    .orElse(null));
            assertThat(error.getText()).startsWith("unsupported_audio: notes.wav");
            assertThat(page.findElements(By.id("transcript"))).isEmpty();

            // the other pages render their grids with the providers' health and the catalogue
            chrome.get(url + "/q/dev-ui/quarkus-asr/providers");
            SearchContext providers = await("the Providers page", () -> component(chrome, "qwc-asr-providers"));
            await("the providers' health", () -> providers.findElements(By.cssSelector(".status.UP")).size() == 2
                    ? Boolean.TRUE
                    : null);
            screenshot(chrome, "devui-providers.png");
            chrome.get(url + "/q/dev-ui/quarkus-asr/models");
            SearchContext models = await("the Models page", () -> component(chrome, "qwc-asr-models"));
            await("the catalogue", () -> models.findElements(By.cssSelector("p")).stream()
                    .filter(summary -> summary.getText()
                            .matches("1 of \\d+ catalogue models are in the local cache\\."))
                    .findFirst().orElse(null));
            screenshot(chrome, "devui-models.png");

            List<LogEntry> errors = chrome.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
            assertThat(errors).isEmpty();
        } finally {
            chrome.quit();
        }
    }

    /** Polls until {@code value} gives something; fails after {@link #AWAIT}. */
    /**
     * The sentence after a second of silence, for Chromium's fake microphone: the page's audio graph may start a moment
     * after the capture, and the model, trained on whole sentences, takes a sentence whose first 0.2 s are cut for
     * another one; the silence is what such a late start loses instead.
     */
    private static Path microphoneRecording() throws IOException {
        float[] sentence = AudioInput.of(TestData.QUICK_BROWN_FOX).decode(16_000).samples();
        float[] padded = new float[16_000 + sentence.length];
        System.arraycopy(sentence, 0, padded, 16_000, sentence.length);
        Path wav = Files.createTempDirectory("devui-microphone").resolve("s01-after-silence.wav");
        return Files.write(wav, WavEncoder.encode(new PcmAudio(padded, 16_000)));
    }

    private static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        T result;
        while ((result = value.get()) == null) {
            assertThat(System.nanoTime()).as("%s within %s", what, AWAIT).isLessThan(deadline);
            Thread.sleep(100);
        }
        return result;
    }

    /** The element {@code tag} anywhere in the page's shadow roots, as a search context for its own shadow root. */
    private static SearchContext component(ChromeDriver chrome, String tag) {
        WebElement element = (WebElement) ((JavascriptExecutor) chrome).executeScript("""
                const find = (root, tag) => {
                    const found = root.querySelector(tag);
                    if (found) return found;
                    for (const e of root.querySelectorAll('*')) {
                        if (e.shadowRoot) { const inner = find(e.shadowRoot, tag); if (inner) return inner; }
                    }
                    return null;
                };
                const element = find(document, arguments[0]);
                return element && element.shadowRoot ? element : null;
                """, tag);
        return element == null ? null : element.getShadowRoot();
    }

    private static void screenshot(ChromeDriver chrome, String name) throws IOException {
        // the screenshots go into the docs: without the Dev UI's own notices, such as the one that its extension
        // manager needs a Maven project, which a dev-mode test has not
        ((JavascriptExecutor) chrome).executeScript(
                "document.querySelectorAll('vaadin-notification-card').forEach(card => card.remove());");
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        File shot = chrome.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A client of the Dev UI's JSON-RPC web socket that returns each answer as soon as it arrives (the test SPI's
     * {@code DevUIJsonRPCTest} polls every 3 s).
     */
    private static final class JsonRpc implements WebSocket.Listener, AutoCloseable {

        private final ObjectMapper mapper = new ObjectMapper();
        private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
        private final StringBuilder message = new StringBuilder();
        private final AtomicInteger ids = new AtomicInteger();
        private final WebSocket socket;

        JsonRpc(URI uri) {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, this).join();
        }

        JsonNode call(String method) throws Exception {
            return call(method, Map.of());
        }

        /** Calls {@code quarkus-asr_<method>}; returns its result. */
        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            answers.put(id, answer);
            ObjectNode request = mapper.createObjectNode().put("jsonrpc", "2.0").put("id", id)
                    .put("method", "quarkus-asr_" + method);
            request.set("params", mapper.valueToTree(params));
            socket.sendText(mapper.writeValueAsString(request), true).get(AWAIT.toSeconds(), TimeUnit.SECONDS);
            JsonNode response = answer.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.has("error")).as(response.toString()).isFalse();
            return response.get("result").get("object");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode response = mapper.readTree(message.toString());
                    // the Dev UI also pushes messages of its own, which answer no call
                    CompletableFuture<JsonNode> answer = answers.remove(response.path("id").asInt(-1));
                    if (answer != null) {
                        answer.complete(response);
                    }
                } catch (IOException e) {
                    answers.values().forEach(answer -> answer.completeExceptionally(e));
                }
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        }
    }
}
