package io.quarkiverse.asr.openai.server.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;

import io.quarkiverse.asr.spi.Languages;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Token;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.Word;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Writes a {@link Transcript} in OpenAI's response formats. */
public final class TranscriptFormats {

    private TranscriptFormats() {
    }

    /**
     * What a {@code verbose_json} answer holds besides the transcript.
     *
     * @param task {@code transcribe} or {@code translate}
     * @param requestedLanguage the language code the request gave, {@code null} when it asked for detection; reported
     *        when the provider reports none
     * @param temperature the temperature the request asked for (0 when it gave none), reported per segment
     * @param words whether to list words (the {@code word} granularity)
     */
    public record Verbose(String task, String requestedLanguage, double temperature, boolean words) {
    }

    /** The transcript in {@code format}; {@code verbose} is used only by {@link ResponseFormat#VERBOSE_JSON}. */
    public static String render(ResponseFormat format, Transcript transcript, Verbose verbose) {
        return switch (format) {
            case JSON -> json(transcript).encode();
            case TEXT -> text(transcript);
            case SRT -> srt(transcript);
            case VTT -> vtt(transcript);
            case VERBOSE_JSON -> verboseJson(transcript, verbose).encode();
        };
    }

    /** {@code {"text": ..., "usage": {"type": "duration", "seconds": ...}}} */
    public static JsonObject json(Transcript transcript) {
        return new JsonObject().put("text", transcript.text()).put("usage", usage(transcript));
    }

    /** The text and a line break, as OpenAI's {@code text} format. */
    public static String text(Transcript transcript) {
        return transcript.text() + "\n";
    }

    /**
     * SubRip: numbered cues from 1, {@code HH:MM:SS,mmm --> HH:MM:SS,mmm}, the text, and a blank line after each cue.
     * Segments without text are left out.
     */
    public static String srt(Transcript transcript) {
        StringBuilder out = new StringBuilder();
        int number = 0;
        for (Segment segment : transcript.segments()) {
            String text = cueText(segment.text());
            if (!text.isEmpty()) {
                out.append(++number).append('\n');
                cueTiming(out, segment, ',');
                out.append(text).append("\n\n");
            }
        }
        return out.toString();
    }

    /**
     * WebVTT: the {@code WEBVTT} header and a blank line, then cues {@code HH:MM:SS.mmm --> HH:MM:SS.mmm} with their
     * text, each followed by a blank line. Segments without text are left out.
     */
    public static String vtt(Transcript transcript) {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        for (Segment segment : transcript.segments()) {
            String text = cueText(segment.text());
            if (!text.isEmpty()) {
                cueTiming(out, segment, '.');
                out.append(text).append("\n\n");
            }
        }
        return out.toString();
    }

    /**
     * OpenAI's verbose transcription object: {@code task}, {@code language} (a name such as {@code "english"}),
     * {@code duration} in seconds, {@code text}, {@code segments}, {@code words} when requested, and {@code usage}.
     * Both arrays are sent even when empty (silence), as OpenAI does: clients iterate them without checking.
     */
    public static JsonObject verboseJson(Transcript transcript, Verbose verbose) {
        String code = transcript.language() != null ? transcript.language() : verbose.requestedLanguage();
        JsonObject out = new JsonObject()
                .put("task", verbose.task())
                .put("language", code == null ? "unknown" : Languages.name(code))
                .put("duration", seconds(transcript.duration()))
                .put("text", transcript.text());
        JsonArray segments = new JsonArray();
        List<Segment> list = transcript.segments();
        for (int i = 0; i < list.size(); i++) {
            segments.add(segment(i, list.get(i), verbose.temperature()));
        }
        out.put("segments", segments);
        if (verbose.words()) {
            JsonArray words = new JsonArray();
            for (Segment segment : transcript.segments()) {
                for (Word word : segment.words()) {
                    words.add(new JsonObject()
                            .put("word", word.text())
                            .put("start", seconds(word.start()))
                            .put("end", seconds(word.end())));
                }
            }
            out.put("words", words);
        }
        return out.put("usage", usage(transcript));
    }

    /**
     * One segment as OpenAI lists it. whisper.cpp does not report the decoding window ({@code seek}) nor the no-speech
     * probability: {@code seek} is the segment's start in 10 ms frames and {@code no_speech_prob} is 0.
     */
    static JsonObject segment(int id, Segment segment, double temperature) {
        JsonArray tokens = new JsonArray();
        double logprobs = 0;
        for (Token token : segment.tokens()) {
            tokens.add(token.id());
            logprobs += Math.log(Math.max(token.probability(), 1e-10f));
        }
        return new JsonObject()
                .put("id", id)
                .put("seek", Math.max(0, segment.start().toMillis() / 10))
                .put("start", seconds(segment.start()))
                .put("end", seconds(segment.end()))
                .put("text", segment.text())
                .put("tokens", tokens)
                .put("temperature", temperature)
                .put("avg_logprob", segment.tokens().isEmpty() ? 0.0 : round(logprobs / segment.tokens().size()))
                .put("compression_ratio", round(compressionRatio(segment.text())))
                .put("no_speech_prob", 0.0);
    }

    /** The length of the UTF-8 text over its zlib-compressed length, as whisper computes it; 0 for empty text. */
    static double compressionRatio(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            return 0;
        }
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(bytes);
            deflater.finish();
            byte[] buffer = new byte[bytes.length + 64];
            int compressed = 0;
            while (!deflater.finished()) {
                compressed += deflater.deflate(buffer);
            }
            return (double) bytes.length / compressed;
        } finally {
            deflater.end();
        }
    }

    /** {@code HH:MM:SS,mmm} (SRT, {@code separator} ',') or {@code HH:MM:SS.mmm} (WebVTT, '.'). */
    public static String timestamp(Duration time, char separator) {
        long millis = Math.max(0, time.toMillis());
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, separator, millis % 1000);
    }

    private static void cueTiming(StringBuilder out, Segment segment, char separator) {
        Duration end = segment.end().compareTo(segment.start()) < 0 ? segment.start() : segment.end();
        out.append(timestamp(segment.start(), separator)).append(" --> ").append(timestamp(end, separator))
                .append('\n');
    }

    /**
     * The segment text without surrounding spaces, without blank lines, which would end the cue, and without
     * {@code -->}, which only a timing line may hold.
     */
    static String cueText(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\\R")) {
            String stripped = line.strip();
            if (!stripped.isEmpty()) {
                out.append(out.isEmpty() ? "" : "\n").append(stripped);
            }
        }
        return out.toString().replace("-->", "->");
    }

    private static JsonObject usage(Transcript transcript) {
        long millis = Math.max(0, transcript.duration().toMillis());
        return new JsonObject().put("type", "duration").put("seconds", (millis + 999) / 1000);
    }

    /** A time in seconds, as every JSON answer gives it. */
    static double seconds(Duration time) {
        return time.toMillis() / 1000.0;
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
