package io.quarkiverse.asr.it;

import static io.quarkiverse.asr.it.TestData.SPEECH;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

/** The providers' metrics, scraped from the Prometheus endpoint after transcriptions through HTTP and a live session. */
@QuarkusTest
class MetricsTest {

    private static final int RATE = 16_000;
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_]+)\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @Inject
    AsrProvider asr;

    @Test
    void aTranscriptionIsTimedCountedAndMeasuredAgainstItsAudio() throws IOException {
        String before = scrape();

        given().contentType("audio/wav").body(Files.readAllBytes(SPEECH.file()))
                .when().post("/transcribe")
                .then().statusCode(200);

        String after = scrape();
        Map<String, String> success = tags("outcome", "success");
        assertThat(value(after, "asr_transcriptions_seconds_count", success)
                - value(before, "asr_transcriptions_seconds_count", success, 0)).isEqualTo(1);
        assertThat(value(after, "asr_audio_transcribed_seconds_total", tags())
                - value(before, "asr_audio_transcribed_seconds_total", tags())).isCloseTo(SPEECH.seconds(), within(0.01));
        assertThat(value(after, "asr_real_time_factor_count", tags())
                - value(before, "asr_real_time_factor_count", tags())).isEqualTo(1);
        assertThat(value(after, "asr_real_time_factor_sum", tags())
                - value(before, "asr_real_time_factor_sum", tags())).isPositive();
        assertThat(value(after, "asr_worker_wait_seconds_count", tags())
                - value(before, "asr_worker_wait_seconds_count", tags())).isEqualTo(1);
        // the model is loaded once, when the application starts
        assertThat(value(after, "asr_model_load_seconds_count", tags())).isEqualTo(1);
        assertThat(value(after, "asr_model_load_seconds_sum", tags())).isPositive();
        // nothing is left running nor waiting, and no live session is open
        assertThat(value(after, "asr_transcriptions_active", tags())).isZero();
        assertThat(value(after, "asr_transcriptions_queued", tags())).isZero();
        assertThat(value(after, "asr_live_sessions", tags())).isZero();
    }

    @Test
    void aFailureIsTimedUnderItsErrorType() {
        Map<String, String> unsupported = tags("outcome", "unsupported_audio");
        double before = value(scrape(), "asr_transcriptions_seconds_count", unsupported, 0);

        given().contentType("audio/wav").body("not audio at all".getBytes())
                .when().post("/transcribe")
                .then().statusCode(400);

        assertThat(value(scrape(), "asr_transcriptions_seconds_count", unsupported) - before).isEqualTo(1);
    }

    @Test
    void aLiveSessionIsCountedWhileOpenAndItsConfirmationsAreTimed() {
        String before = scrape();
        float[] samples = AudioInput.of(SPEECH.file()).decode(RATE).samples();
        UnicastProcessor<AudioChunk> audio = UnicastProcessor.create();
        StreamingOptions options = StreamingOptions.builder()
                .decoding(TranscriptionOptions.builder().language("en").build())
                .minChunk(Duration.ofSeconds(1)).build();

        AssertSubscriber<TranscriptEvent> events = asr.transcribe(audio, options)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertThat(value(scrape(), "asr_live_sessions", tags())).isEqualTo(1);
        for (int offset = 0; offset < samples.length; offset += RATE / 5) {
            audio.onNext(new AudioChunk(Arrays.copyOfRange(samples, offset, Math.min(samples.length, offset + RATE / 5)),
                    RATE));
        }
        audio.onComplete();
        events.awaitCompletion(Duration.ofMinutes(2));

        String after = scrape();
        long confirmations = events.getItems().stream().filter(TranscriptEvent.Final.class::isInstance).count();
        assertThat(confirmations).isPositive();
        assertThat(value(after, "asr_live_sessions", tags())).isZero();
        assertThat(value(after, "asr_live_confirmation_latency_seconds_count", tags())
                - value(before, "asr_live_confirmation_latency_seconds_count", tags())).isEqualTo(confirmations);
    }

    private Map<String, String> tags(String... more) {
        Map<String, String> tags = new HashMap<>(Map.of("provider", "whisper", "model", asr.info().model()));
        for (int i = 0; i < more.length; i += 2) {
            tags.put(more[i], more[i + 1]);
        }
        return tags;
    }

    private static String scrape() {
        return given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String scrape, String name, Map<String, String> tags) {
        return value(scrape, name, tags, Double.NaN);
    }

    /** The sample of {@code name} whose labels include {@code tags}; {@code absent} when there is none. */
    private static double value(String scrape, String name, Map<String, String> tags, double absent) {
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            if (sample.group(1).equals(name) && labels(sample.group(2)).entrySet().containsAll(tags.entrySet())) {
                return Double.parseDouble(sample.group(3));
            }
        }
        if (Double.isNaN(absent)) {
            throw new AssertionError("no " + name + " with " + tags + " in the scrape:\n" + scrape);
        }
        return absent;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(text);
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return labels;
    }
}
