package io.quarkiverse.asr.it;

import static io.quarkiverse.asr.it.TestData.SPEECH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The demo page in a real headless Chromium whose microphone is a recording (Chromium's fake capture device): live
 * captions arrive over the WebSocket with the words of the recording, partial text grey and final text black; the file
 * form lists the segments with their times. Screenshots are left in {@code target/}. Skipped only where no Chromium
 * and chromedriver are installed ({@code .ci/run} installs Debian's {@code chromium} and {@code chromium-driver}).
 */
@QuarkusTest
class DemoPageTest {

    /** A hang guard, not a speed expectation. */
    private static final Duration AWAIT = Duration.ofMinutes(2);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static ChromeDriver chrome;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startChromium() {
        Optional<Path> browser = onPath("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = onPath("chromedriver");
        assumeTrue(browser.isPresent() && driver.isPresent(), "Skipped: no Chromium with chromedriver on the PATH ("
                + "browser: " + browser.map(Path::toString).orElse("none") + ", driver: "
                + driver.map(Path::toString).orElse("none") + "); install Debian's chromium and chromium-driver.");
        ChromeOptions options = new ChromeOptions();
        // the browser and the driver are given: Selenium Manager has nothing to look for, and downloads nothing
        options.setBinary(browser.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,760",
                "--autoplay-policy=no-user-gesture-required",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                // played once from the start of the capture, then silence
                "--use-file-for-fake-audio-capture=" + SPEECH.file().toAbsolutePath() + "%noloop");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort()
                .build();
        chrome = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopChromium() {
        if (chrome != null) {
            chrome.quit();
        }
    }

    @Test
    void liveCaptionsFromTheMicrophone() {
        chrome.get(root + "index.html");
        WebElement toggle = chrome.findElement(By.id("live-toggle"));
        WebElement status = chrome.findElement(By.id("live-status"));
        WebElement finals = chrome.findElement(By.id("finals"));
        WebElement partial = chrome.findElement(By.id("partial"));
        toggle.click();
        await("listening", () -> status.getText().equals("listening"), status::getText);

        // the whole recording is confirmed while the microphone is still on
        boolean[] partialShown = { false };
        await("the final captions of the recording", () -> {
            if (!partialShown[0] && !partial.getText().isBlank()) {
                // for the eye only: whether the engine's steps fall so that a partial shows here depends on timing
                partialShown[0] = true;
                screenshot("live-captions-partial.png");
            }
            return wer(finals.getText()) <= SPEECH.maxWordErrorRate();
        }, () -> "finals '" + finals.getText() + "', partial '" + partial.getText() + "', status "
                + status.getText());
        screenshot("live-captions.png");
        List<WebElement> spans = finals.findElements(By.className("final"));
        assertThat(spans).isNotEmpty();
        assertThat(spans.getFirst().getCssValue("color")).isEqualTo("rgba(0, 0, 0, 1)");
        assertThat(partial.getCssValue("color")).isEqualTo("rgba(153, 153, 153, 1)");

        toggle.click();
        await("the end of the session", () -> status.getText().equals("ended"), status::getText);
        assertThat(wer(finals.getText())).as(finals.getText()).isLessThanOrEqualTo(SPEECH.maxWordErrorRate());
        assertThat(partial.getText()).isEmpty();
        assertThat(toggle.getText()).isEqualTo("Start");
    }

    @Test
    void fileFormShowsTheSegmentsWithTheirTimes() {
        chrome.get(root + "index.html");
        chrome.findElement(By.id("upload-file")).sendKeys(SPEECH.file().toAbsolutePath().toString());
        chrome.findElement(By.id("upload-submit")).click();
        WebElement status = chrome.findElement(By.id("upload-status"));
        await("the segments", () -> status.getText().endsWith(" s"), status::getText);
        screenshot("file-segments.png");

        List<WebElement> rows = chrome.findElements(By.cssSelector("#segments tbody tr"));
        assertThat(rows).isNotEmpty();
        assertThat(status.getText()).isEqualTo(rows.size() + (rows.size() == 1 ? " segment, " : " segments, ")
                + String.format(Locale.ROOT, "%.1f", SPEECH.seconds()) + " s");
        StringBuilder text = new StringBuilder();
        for (WebElement row : rows) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertThat(cells.get(0).getText()).matches("\\d\\d:\\d\\d\\.\\d\\d");
            assertThat(cells.get(1).getText()).matches("\\d\\d:\\d\\d\\.\\d\\d")
                    .isGreaterThanOrEqualTo(cells.get(0).getText());
            text.append(' ').append(cells.get(2).getText());
        }
        assertThat(wer(text.toString())).as(text.toString()).isLessThanOrEqualTo(SPEECH.maxWordErrorRate());
    }

    private static double wer(String text) {
        return text.isBlank() ? 1 : WordErrorRate.of(SPEECH.reference(), text.strip()).wer();
    }

    /** Polls until {@code done}; fails with {@code state} after {@link #AWAIT}. */
    private static void await(String what, BooleanSupplier done, Supplier<String> state) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s: %s", what, AWAIT, state.get()).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = chrome.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first of {@code names} that is an executable file in a folder of the {@code PATH}. */
    private static Optional<Path> onPath(String... names) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(names).flatMap(name -> Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isBlank())
                .map(d -> Path.of(d, name))).filter(Files::isExecutable).findFirst();
    }
}
