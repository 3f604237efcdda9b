package io.quarkiverse.asr.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Transcript text and word error rates over the shared speech, through the HTTP API. Runs only when the application
 * was built with a trained model ({@code WHISPER_TEST_MODEL}); says so and skips otherwise.
 */
@QuarkusTest
class TranscriptAccuracyTest {

    /** tiny.en scores about 0.1 on clean read English; the bounds leave room for the smallest trained models. */
    static final double MAX_CORPUS_WER = 0.30;
    static final double MAX_FILE_WER = 0.60;

    @BeforeEach
    void requireTrainedModel() {
        if (TestData.trainedModel().isEmpty()) {
            System.out.println("[TranscriptAccuracyTest] SKIPPED: " + TestData.skipMessage());
        }
        assumeTrue(TestData.trainedModel().isPresent(), TestData::skipMessage);
    }

    record Sample(Path file, String language, String reference) {
    }

    static String transcribe(Path file, String language) {
        return given().contentType("application/octet-stream").body(file.toFile()).queryParam("language", language)
                .when().post("/transcribe")
                .then().statusCode(200)
                .extract().path("text");
    }

    @Test
    void transcribesJfk() {
        String text = transcribe(TestData.JFK, "en");
        WordErrorRate wer = WordErrorRate.of(TestData.JFK_REFERENCE, text);
        System.out.printf(Locale.ROOT, "[TranscriptAccuracyTest] jfk.wav WER %.3f: %s%n", wer.wer(), text);
        assertThat(wer.wer()).isLessThanOrEqualTo(0.1);
    }

    @Test
    void wordErrorRateOverRealAndSyntheticSpeech() throws IOException {
        boolean multilingual = !TestData.trainedModel().orElseThrow().getFileName().toString().contains(".en");
        List<Sample> samples = new ArrayList<>();
        Path real = TestData.AUDIO.resolve("real");
        List<String> table = Files.readAllLines(real.resolve("transcripts.tsv"));
        for (String line : table.subList(1, table.size())) {
            String[] f = line.split("\t", 3);
            // the raw clip has no container to decode; English-only models cannot be scored on other languages
            if (!f[0].endsWith(".raw") && (multilingual || f[1].equals("en"))) {
                samples.add(new Sample(real.resolve(f[0]), f[1], f[2]));
            }
        }
        Path synthetic = TestData.AUDIO.resolve("synthetic");
        for (String line : Files.readAllLines(synthetic.resolve("transcripts.tsv"))) {
            String[] f = line.split("\t", 2);
            if (f.length == 2 && !f[0].equals("id")) {
                samples.add(new Sample(synthetic.resolve(f[0] + ".wav"), "en", f[1]));
            }
        }
        WordErrorRate corpus = new WordErrorRate(0, 0, 0, 0);
        List<String> bad = new ArrayList<>();
        for (Sample sample : samples) {
            String text = transcribe(sample.file(), sample.language());
            WordErrorRate wer = WordErrorRate.of(sample.reference(), text);
            corpus = corpus.plus(wer);
            System.out.printf(Locale.ROOT, "[TranscriptAccuracyTest] %-60s %s WER %.3f%n",
                    TestData.AUDIO.relativize(sample.file()), sample.language(), wer.wer());
            if (wer.wer() > MAX_FILE_WER) {
                bad.add(sample.file().getFileName() + " (" + wer.wer() + "): " + text);
            }
        }
        System.out.printf(Locale.ROOT, "[TranscriptAccuracyTest] corpus WER %.3f over %d files, %d words%n",
                corpus.wer(), samples.size(), corpus.referenceWords());
        assertThat(corpus.wer()).isLessThanOrEqualTo(MAX_CORPUS_WER);
        assertThat(bad).isEmpty();
    }
}
