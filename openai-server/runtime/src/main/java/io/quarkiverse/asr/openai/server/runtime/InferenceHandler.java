package io.quarkiverse.asr.openai.server.runtime;

import java.util.Locale;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * whisper.cpp's {@code POST /inference}, for clients written for {@code whisper-server}: its form fields become the
 * OpenAI request's, and the transcription (or, with {@code translate=true}, the translation) handler answers. Fields
 * OpenAI's API has no equivalent for are ignored, as the transcription handler ignores unknown fields.
 */
final class InferenceHandler implements Handler<RoutingContext> {

    static final String TRANSLATE = "translate";
    static final String NO_SPEECH_THOLD = "no_speech_thold";

    private final Handler<RoutingContext> transcriptions;
    private final Handler<RoutingContext> translations;

    InferenceHandler(Handler<RoutingContext> transcriptions, Handler<RoutingContext> translations) {
        this.transcriptions = transcriptions;
        this.translations = translations;
    }

    @Override
    public void handle(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        boolean translate;
        try {
            translate = bool(form.get(TRANSLATE));
        } catch (OpenAiApiException e) {
            ErrorResponses.send(ctx, e);
            return;
        }
        form.remove(TRANSLATE);
        if (form.contains(NO_SPEECH_THOLD)) {
            form.set(TranscriptionHandler.NO_SPEECH_THRESHOLD, form.get(NO_SPEECH_THOLD));
            form.remove(NO_SPEECH_THOLD);
        }
        // whisper-server detects the language when asked for "auto"; OpenAI's API when it is left out
        String language = form.get(TranscriptionHandler.LANGUAGE);
        if (language != null && language.strip().equalsIgnoreCase("auto")) {
            form.remove(TranscriptionHandler.LANGUAGE);
        }
        // whisper-server's verbose_json always has the words (in each segment); here they are listed beside them
        String format = form.get(TranscriptionHandler.RESPONSE_FORMAT);
        if (format != null && format.strip().equals(ResponseFormat.VERBOSE_JSON.value())) {
            form.set(TranscriptionHandler.GRANULARITIES + "[]", "word");
        }
        (translate ? translations : transcriptions).handle(ctx);
    }

    /** whisper-server's booleans: {@code true} or {@code 1}, and their negations; absent is {@code false}. */
    private static boolean bool(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw OpenAiApiException.badRequest("'" + value + "' is not a valid translate: it must be true "
                    + "or false.", TRANSLATE, "invalid_value");
        };
    }
}
