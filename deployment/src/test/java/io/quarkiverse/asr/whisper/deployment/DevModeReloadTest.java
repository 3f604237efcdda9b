package io.quarkiverse.asr.whisper.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.QuarkusDevModeTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;

/**
 * Dev mode: editing application.properties (another model file, other decoding defaults) restarts the application on
 * the next request, which transcribes with the new settings; the whisper.cpp library stays the one loaded first, and
 * each restart frees the model and the decoding states of the application it stops.
 */
class DevModeReloadTest {

    private static final String MINI = "for-tests-ggml-espeak-mini.en.bin";
    /** Dev mode listens on 8080 unless told otherwise: a free port instead, beside other builds on the machine. */
    private static final int PORT = freePort();
    /** A restart and a transcription per request: only a hang guard, far above what a busy machine takes. */
    private static final RestAssuredConfig HANG_GUARD = RestAssuredConfig.config().httpClient(HttpClientConfig
            .httpClientConfig().setParam("http.socket.timeout", (int) Duration.ofMinutes(5).toMillis()));

    @RegisterExtension
    static final QuarkusDevModeTest app = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, ReloadProbe.class).addAsResource(new StringAsset(
                    "quarkus.asr.whisper.model=" + TestData.ESPEAK_MINI_MODEL + "\nquarkus.asr.whisper.threads=1\n"
                            + "quarkus.http.port=" + PORT + "\n"),
                    "application.properties"));

    @Test
    void reloadsTranscribeWithTheNewSettingsOnOneLibraryWithoutLeaks(@TempDir Path dir) throws IOException {
        JsonPath first = transcribe("s01");
        assertThat(first.getString("model")).isEqualTo(MINI);
        assertThat(first.getString("text")).isEqualTo("The quick brown fox jumps over the lazy dog near the river bank.");
        assertThat(first.getInt("words")).as("word timestamps by default").isPositive();
        int library = first.getInt("library");

        // the same weights under another name, so that the switch shows; words no longer timed by default
        Path copy = Files.copy(TestData.ESPEAK_MINI_MODEL, dir.resolve("espeak-mini-copy.en.bin"));
        app.modifyResourceFile("application.properties", properties -> properties
                .replace(TestData.ESPEAK_MINI_MODEL.toString(), copy.toString())
                + "quarkus.asr.whisper.word-timestamps=false\n");
        JsonPath second = transcribe("s06");
        assertThat(second.getString("model")).isEqualTo("espeak-mini-copy.en.bin");
        assertThat(second.getString("text")).isEqualTo("Speech recognition turns spoken words into written text.");
        assertThat(second.getInt("words")).isZero();

        // and back: the first application's settings again, in a third application
        app.modifyResourceFile("application.properties", properties -> properties
                .replace(copy.toString(), TestData.ESPEAK_MINI_MODEL.toString())
                .replace("quarkus.asr.whisper.word-timestamps=false\n", ""));
        JsonPath third = transcribe("s23");
        assertThat(third.getString("model")).isEqualTo(MINI);
        assertThat(third.getString("text")).isEqualTo("Could you please repeat the last number of the order?");
        assertThat(third.getInt("words")).isPositive();

        for (JsonPath answer : List.of(first, second, third)) {
            String model = answer.getString("model");
            assertThat(answer.getInt("library")).as("the library loaded by the first application").isEqualTo(library);
            // the application's own model and the state of its finished transcription; nothing of those it replaced
            assertThat(answer.getInt("contexts")).as("live contexts with %s", model).isEqualTo(1);
            assertThat(answer.getInt("states")).as("live states with %s", model).isEqualTo(1);
        }
    }

    /** Sends a synthetic sentence; the first request after an edit restarts the application before it is served. */
    private static JsonPath transcribe(String sentence) {
        return given().config(HANG_GUARD).port(PORT).contentType("audio/wav").body(TestData.synthetic(sentence).toFile())
                .when().post("/reload-probe")
                .then().statusCode(200)
                .extract().jsonPath();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
