package io.quarkiverse.asr.openai.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Token;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.Word;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The OpenAI response formats, on hand-built transcripts with segments, tokens and words. */
class TranscriptFormatsTest {

    private static final Transcript JFK = Transcript.of("en", Duration.ofMillis(11_000), List.of(
            segment(0, 7_600, " And so my fellow Americans, ask not what your country can do for you,",
                    List.of(token(400, " And", 0.9f, 0, 300), token(370, " so", 0.8f, 300, 500)),
                    List.of(word("And", 0, 300, 0.9f), word("so", 300, 500, 0.8f))),
            segment(7_600, 10_600, " ask what you can do for your country.",
                    List.of(token(1029, " ask", 0.5f, 7_600, 8_000)),
                    List.of(word("ask", 7_600, 8_000, 0.5f)))));

    @Test
    void srtNumbersCuesFromOneWithCommaMillisecondsAndBlankLines() {
        assertThat(TranscriptFormats.srt(JFK)).isEqualTo("""
                1
                00:00:00,000 --> 00:00:07,600
                And so my fellow Americans, ask not what your country can do for you,

                2
                00:00:07,600 --> 00:00:10,600
                ask what you can do for your country.

                """);
    }

    @Test
    void vttHasTheHeaderAndDotMilliseconds() {
        assertThat(TranscriptFormats.vtt(JFK)).isEqualTo("""
                WEBVTT

                00:00:00.000 --> 00:00:07.600
                And so my fellow Americans, ask not what your country can do for you,

                00:00:07.600 --> 00:00:10.600
                ask what you can do for your country.

                """);
    }

    @Test
    void timestampsCountHoursPastADay() {
        Duration time = Duration.ofHours(1).plusMinutes(2).plusSeconds(3).plusMillis(45);
        assertThat(TranscriptFormats.timestamp(time, ',')).isEqualTo("01:02:03,045");
        assertThat(TranscriptFormats.timestamp(time, '.')).isEqualTo("01:02:03.045");
        assertThat(TranscriptFormats.timestamp(Duration.ofHours(123), '.')).isEqualTo("123:00:00.000");
        assertThat(TranscriptFormats.timestamp(Duration.ofMillis(1_230), ',')).isEqualTo("00:00:01,230");
    }

    @Test
    void cuesLeaveOutEmptySegmentsAndNeverHoldABlankLineOrAnArrow() {
        Transcript odd = Transcript.of("en", Duration.ofSeconds(5), List.of(
                segment(0, 1_000, "   ", List.of(), List.of()),
                segment(1_000, 2_000, " first line\n\n second line ", List.of(), List.of()),
                segment(3_000, 2_500, " a --> b", List.of(), List.of())));
        assertThat(TranscriptFormats.srt(odd)).isEqualTo("""
                1
                00:00:01,000 --> 00:00:02,000
                first line
                second line

                2
                00:00:03,000 --> 00:00:03,000
                a -> b

                """);
        assertThat(TranscriptFormats.vtt(odd)).endsWith("""
                00:00:03.000 --> 00:00:03.000
                a -> b

                """);
    }

    @Test
    void noSegmentsGiveAnEmptySrtAndAHeaderOnlyVtt() {
        Transcript silence = Transcript.of("en", Duration.ofSeconds(3), List.of());
        assertThat(TranscriptFormats.srt(silence)).isEmpty();
        assertThat(TranscriptFormats.vtt(silence)).isEqualTo("WEBVTT\n\n");
        assertThat(TranscriptFormats.text(silence)).isEqualTo("\n");
    }

    @Test
    void textIsTheTranscriptAndALineBreak() {
        assertThat(TranscriptFormats.text(JFK)).isEqualTo(
                "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your "
                        + "country.\n");
    }

    @Test
    void jsonHoldsTheTextAndTheBilledDuration() {
        JsonObject json = TranscriptFormats.json(JFK);
        assertThat(json.fieldNames()).containsExactly("text", "usage");
        assertThat(json.getString("text")).isEqualTo(JFK.text());
        assertThat(json.getJsonObject("usage")).isEqualTo(new JsonObject().put("type", "duration").put("seconds", 11));
    }

    @Test
    void verboseJsonHasOpenAisFieldsAndSegments() {
        JsonObject json = new JsonObject(TranscriptFormats.render(ResponseFormat.VERBOSE_JSON, JFK,
                new TranscriptFormats.Verbose("transcribe", null, 0.2, false)));

        assertThat(json.fieldNames()).containsExactly("task", "language", "duration", "text", "segments", "usage");
        assertThat(json.getString("task")).isEqualTo("transcribe");
        assertThat(json.getString("language")).isEqualTo("english");
        assertThat(json.getDouble("duration")).isEqualTo(11.0);
        assertThat(json.getString("text")).isEqualTo(JFK.text());
        JsonArray segments = json.getJsonArray("segments");
        assertThat(segments).hasSize(2);
        JsonObject first = segments.getJsonObject(0);
        assertThat(first.fieldNames()).containsExactly("id", "seek", "start", "end", "text", "tokens", "temperature",
                "avg_logprob", "compression_ratio", "no_speech_prob");
        assertThat(first.getInteger("id")).isZero();
        assertThat(first.getDouble("start")).isEqualTo(0.0);
        assertThat(first.getDouble("end")).isEqualTo(7.6);
        assertThat(first.getString("text")).isEqualTo(" And so my fellow Americans, ask not what your country can do "
                + "for you,");
        assertThat(first.getJsonArray("tokens")).containsExactly(400, 370);
        assertThat(first.getDouble("temperature")).isEqualTo(0.2);
        assertThat(first.getDouble("avg_logprob"))
                .isCloseTo((Math.log(0.9f) + Math.log(0.8f)) / 2, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(first.getDouble("compression_ratio")).isGreaterThan(0.5).isLessThan(2.4);
        assertThat(first.getDouble("no_speech_prob")).isEqualTo(0.0);
        JsonObject second = segments.getJsonObject(1);
        assertThat(second.getInteger("id")).isEqualTo(1);
        assertThat(second.getInteger("seek")).isEqualTo(760);
        assertThat(second.getDouble("start")).isEqualTo(7.6);
        assertThat(second.getDouble("end")).isEqualTo(10.6);
    }

    @Test
    void verboseJsonListsWordsWhenAskedBesideTheSegments() {
        JsonObject json = TranscriptFormats.verboseJson(JFK,
                new TranscriptFormats.Verbose("translate", "de", 0, true));
        assertThat(json.fieldNames()).containsExactly("task", "language", "duration", "text", "segments", "words",
                "usage");
        assertThat(json.getJsonArray("segments")).hasSize(2);
        assertThat(json.getString("task")).isEqualTo("translate");
        assertThat(json.getString("language")).as("the transcript's language wins over the requested one")
                .isEqualTo("english");
        assertThat(json.getJsonArray("words")).containsExactly(
                new JsonObject().put("word", "And").put("start", 0.0).put("end", 0.3),
                new JsonObject().put("word", "so").put("start", 0.3).put("end", 0.5),
                new JsonObject().put("word", "ask").put("start", 7.6).put("end", 8.0));
    }

    @Test
    void verboseJsonNamesTheRequestedLanguageWhenTheProviderReportsNone() {
        Transcript unknown = new Transcript("", null, Duration.ofMillis(1_500), List.of());
        JsonObject json = TranscriptFormats.verboseJson(unknown,
                new TranscriptFormats.Verbose("transcribe", "pt", 0, true));
        assertThat(json.getString("language")).isEqualTo("portuguese");
        assertThat(json.getJsonArray("segments")).as("clients iterate segments: sent even when empty").isEmpty();
        assertThat(json.getJsonArray("words")).as("asked for, so sent even when empty").isEmpty();
        assertThat(json.getJsonObject("usage").getInteger("seconds")).isEqualTo(2);
        assertThat(TranscriptFormats.verboseJson(unknown,
                new TranscriptFormats.Verbose("transcribe", null, 0, false)).getString("language"))
                .isEqualTo("unknown");
    }

    @Test
    void compressionRatioIsWhispersZlibRatio() {
        assertThat(TranscriptFormats.compressionRatio("")).isZero();
        // a repeated phrase compresses well: whisper treats ratios above 2.4 as a decoding loop
        assertThat(TranscriptFormats.compressionRatio(" thank you".repeat(40))).isGreaterThan(2.4);
    }

    @Test
    void responseFormatsUseOpenAisValuesAndContentTypes() {
        assertThat(ResponseFormat.listed()).isEqualTo("['json', 'text', 'srt', 'verbose_json', 'vtt']");
        assertThat(ResponseFormat.of("verbose_json")).contains(ResponseFormat.VERBOSE_JSON);
        assertThat(ResponseFormat.of("xml")).isEmpty();
        assertThat(ResponseFormat.JSON.contentType()).isEqualTo("application/json");
        assertThat(ResponseFormat.SRT.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(ResponseFormat.VTT.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(ResponseFormat.TEXT.contentType()).isEqualTo("text/plain; charset=utf-8");
    }

    private static Segment segment(long startMillis, long endMillis, String text, List<Token> tokens,
            List<Word> words) {
        return new Segment(Duration.ofMillis(startMillis), Duration.ofMillis(endMillis), text, tokens, words);
    }

    private static Token token(int id, String text, float p, long startMillis, long endMillis) {
        return new Token(id, text, p, Duration.ofMillis(startMillis), Duration.ofMillis(endMillis));
    }

    private static Word word(String text, long startMillis, long endMillis, float p) {
        return new Word(Duration.ofMillis(startMillis), Duration.ofMillis(endMillis), text, p);
    }
}
