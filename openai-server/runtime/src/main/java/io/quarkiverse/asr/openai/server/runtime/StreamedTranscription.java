package io.quarkiverse.asr.openai.server.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A transcription answered with server-sent events ({@code stream=true}), as OpenAI streams its transcriptions: one
 * {@code transcript.text.delta} per segment, as the provider emits it while it decodes, then one
 * {@code transcript.text.done} with the whole text.
 * <p>
 * The events start with the first segment: a failure before it (an overloaded provider, audio that cannot be decoded,
 * the request timeout) is an ordinary error answer with its HTTP status. A failure after it is an event
 * {@code {"type": "error", "error": {...}}}, which OpenAI's SDKs raise as an error, and ends the stream.
 */
final class StreamedTranscription {

    static final String STREAM = "stream";
    static final String DELTA = "transcript.text.delta";
    static final String DONE = "transcript.text.done";

    private final RoutingContext ctx;
    private final Context context;
    private final StringBuilder text = new StringBuilder();
    private final AudioInput audio;
    private final String clientName;

    private StreamedTranscription(RoutingContext ctx, AudioInput audio, String clientName) {
        this.ctx = ctx;
        Context current = Vertx.currentContext();
        this.context = current != null ? current : ctx.vertx().getOrCreateContext();
        this.audio = audio;
        this.clientName = clientName;
    }

    /**
     * Whether the form asks for a streamed answer ({@code stream=true}).
     *
     * @throws OpenAiApiException 400 when {@code stream} is not a boolean, or a streamed answer is asked for in a
     *         format other than {@code json} or {@code text}
     */
    static boolean requested(MultiMap form, ResponseFormat format) {
        String value = form.get(STREAM);
        if (value == null || value.isBlank()) {
            return false;
        }
        boolean stream = switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw OpenAiApiException.badRequest("'" + value + "' is not a valid boolean - 'stream'",
                    STREAM, "invalid_value");
        };
        if (stream && format != ResponseFormat.JSON && format != ResponseFormat.TEXT) {
            throw OpenAiApiException.badRequest("stream=true answers with events of text: use response_format json "
                    + "or text, not " + format.value() + ".", STREAM, "unsupported_value");
        }
        return stream;
    }

    /** Transcribes {@code audio} and answers with its segments as events; stops the provider when the client goes. */
    static void send(RoutingContext ctx, AsrProvider provider, TranscriptionOptions options, AudioInput audio,
            String clientName, Optional<Duration> timeout) {
        new StreamedTranscription(ctx, audio, clientName).run(provider, options, timeout);
    }

    private void run(AsrProvider provider, TranscriptionOptions options, Optional<Duration> timeout) {
        Cancellable subscription = provider.transcribeSegments(audio, options).subscribe().with(
                segment -> context.runOnContext(v -> delta(segment)),
                failure -> context.runOnContext(v -> fail(OpenAiApiException.from(failure, audio, clientName))),
                () -> context.runOnContext(v -> done()));
        long timer = timeout.map(limit -> ctx.vertx().setTimer(limit.toMillis(), id -> {
            subscription.cancel();
            fail(OpenAiApiException.timedOut(limit));
        })).orElse(-1L);
        // the answer ended, or the connection closed before: either way nothing more is wanted
        ctx.addEndHandler(ignored -> {
            subscription.cancel();
            ctx.vertx().cancelTimer(timer);
        });
        if (ctx.response().closed()) {
            subscription.cancel();
        }
    }

    private void delta(Segment segment) {
        if (segment.text().isBlank() || !writable()) {
            return;
        }
        text.append(segment.text());
        event(new JsonObject().put("type", DELTA).put("delta", segment.text()));
    }

    private void done() {
        if (writable()) {
            event(new JsonObject().put("type", DONE).put("text", text.toString().strip()));
            ctx.response().end();
        }
    }

    private void fail(OpenAiApiException error) {
        HttpServerResponse response = ctx.response();
        if (!response.headWritten()) {
            ErrorResponses.send(ctx, error);
        } else if (writable()) {
            event(error.toJson().put("type", "error"));
            response.end();
        }
    }

    private boolean writable() {
        return !ctx.response().ended() && !ctx.response().closed();
    }

    private void event(JsonObject data) {
        HttpServerResponse response = ctx.response();
        if (!response.headWritten()) {
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
        response.write("data: " + data.encode() + "\n\n");
    }
}
