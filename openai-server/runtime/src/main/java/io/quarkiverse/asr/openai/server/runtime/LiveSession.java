package io.quarkiverse.asr.openai.server.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.Languages;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.Word;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One live transcription over a WebSocket (the protocol is in {@code docs/live-api.md}): checks the API key and the
 * parameters, then feeds the binary frames to the provider's live transcription and sends its events as JSON text
 * messages. Every failure is an {@code error} message followed by a close with code {@code 4000 + HTTP status}.
 * <p>
 * All state is touched on the socket's event loop only.
 */
final class LiveSession {

    private static final Logger LOG = Logger.getLogger(LiveSession.class);

    static final String SAMPLE_RATE = "sample_rate";
    static final String API_KEY = "api_key";
    static final int MIN_SAMPLE_RATE = 8_000;
    static final int MAX_SAMPLE_RATE = 192_000;
    /** A close code of this protocol is this plus the HTTP status of the same failure. */
    static final int CLOSE_CODE_BASE = 4000;
    /** Text messages are small control messages; longer ones are refused. */
    private static final int MAX_TEXT = 16 * 1024;
    private static final Set<String> START_FIELDS = Set.of("type", SAMPLE_RATE, TranscriptionHandler.MODEL,
            TranscriptionHandler.LANGUAGE, TranscriptionHandler.PROMPT, API_KEY);

    private final ServerWebSocket socket;
    private final Context context;
    private final ProviderResolver providers;
    private final ApiKey apiKey;
    private final StreamingOptions streaming;
    private final StringBuilder confirmed = new StringBuilder();

    private MultiMap query;
    private boolean authorized;
    private StringBuilder text;
    private WebSocketAudio audio;
    private Cancellable transcription;
    private boolean over;

    LiveSession(ServerWebSocket socket, Context context, ProviderResolver providers, ApiKey apiKey,
            StreamingOptions streaming) {
        this.socket = socket;
        this.context = context;
        this.providers = providers;
        this.apiKey = apiKey;
        this.streaming = streaming;
    }

    /**
     * Starts at once when the request's {@code Authorization} header and query say all that is needed; otherwise
     * waits for a {@code start} message.
     */
    void open(String authorization, MultiMap query) {
        this.query = query;
        socket.frameHandler(this::frame);
        socket.closeHandler(v -> stop());
        socket.exceptionHandler(t -> LOG.debugf("live session: %s", t.toString()));
        // frames are all taken by the frame handler; the data handler only drains Vert.x's inbound buffer
        socket.handler(data -> {
        });
        try {
            if (authorization != null) {
                apiKey.checkAuthorization(authorization);
            }
            authorized = authorization != null || !apiKey.required();
            if (authorized && query.contains(SAMPLE_RATE)) {
                start(query::get);
            }
        } catch (OpenAiApiException e) {
            fail(e);
        }
    }

    private void frame(WebSocketFrame frame) {
        if (over) {
            return;
        }
        try {
            if (frame.isText() || frame.isContinuation() && text != null) {
                textFrame(frame);
            } else if (frame.isBinary() || frame.isContinuation()) {
                if (!authorized) {
                    throw OpenAiApiException.missingApiKey();
                }
                if (audio == null) {
                    throw OpenAiApiException.badRequest("Audio before the session started: give '" + SAMPLE_RATE
                            + "' in the URL's query or send a 'start' message first.", SAMPLE_RATE,
                            "missing_required_parameter");
                }
                audio.push(frame.binaryData());
            }
        } catch (OpenAiApiException e) {
            fail(e);
        }
    }

    private void textFrame(WebSocketFrame frame) {
        if (text == null) {
            text = new StringBuilder();
        }
        text.append(frame.binaryData().toString(StandardCharsets.UTF_8));
        if (text.length() > MAX_TEXT) {
            throw OpenAiApiException.badRequest("Text messages are limited to " + MAX_TEXT + " characters.", null,
                    "invalid_value");
        }
        if (frame.isFinal()) {
            String message = text.toString();
            text = null;
            message(message);
        }
    }

    private void message(String message) {
        JsonObject json;
        try {
            json = new JsonObject(message);
        } catch (DecodeException | ClassCastException e) {
            throw OpenAiApiException.badRequest("Text messages must be JSON objects, got: " + abbreviate(message), null,
                    "invalid_value");
        }
        String type = json.getString("type", "");
        switch (type) {
            case "start" -> {
                if (audio != null) {
                    throw OpenAiApiException.badRequest("The session has already started.", null, "invalid_value");
                }
                for (String field : json.fieldNames()) {
                    if (!START_FIELDS.contains(field)) {
                        throw OpenAiApiException.badRequest("Unknown field '" + field + "' in the start message.",
                                field, "invalid_value");
                    }
                }
                if (!authorized) {
                    apiKey.check(stringOf(json.getValue(API_KEY)));
                    authorized = true;
                }
                // the message's fields take precedence over the query's
                start(name -> json.containsKey(name) ? stringOf(json.getValue(name)) : query.get(name));
            }
            case "stop" -> {
                if (audio == null) {
                    throw OpenAiApiException.badRequest("'stop' before the session started.", null, "invalid_value");
                }
                audio.complete();
            }
            default -> throw OpenAiApiException.badRequest("Unknown message type '" + type + "': send 'start' or "
                    + "'stop'.", "type", "invalid_value");
        }
    }

    /** Resolves the parameters and subscribes to the provider's live transcription. */
    private void start(Function<String, String> parameters) {
        int sampleRate = sampleRate(parameters.apply(SAMPLE_RATE));
        String providerName = providers.nameFor(blankToNull(parameters.apply(TranscriptionHandler.MODEL)));
        AsrProvider provider = providers.provider(providerName);
        if (!provider.info().supports(Capability.STREAMING)) {
            throw OpenAiApiException.badRequest("The model `" + providerName + "` cannot transcribe live audio.",
                    TranscriptionHandler.MODEL, "unsupported_feature");
        }
        TranscriptionOptions.Builder decoding = TranscriptionOptions.builder();
        String language = blankToNull(parameters.apply(TranscriptionHandler.LANGUAGE));
        if (language != null) {
            decoding.language(Languages.code(language).orElseThrow(() -> OpenAiApiException.badRequest(
                    "Language '" + language + "' is not supported: use an ISO 639-1 code such as 'en' that whisper "
                            + "knows.",
                    TranscriptionHandler.LANGUAGE, "unsupported_language")));
        }
        String prompt = blankToNull(parameters.apply(TranscriptionHandler.PROMPT));
        if (prompt != null) {
            decoding.initialPrompt(prompt);
        }
        StreamingOptions options = streaming.toBuilder().decoding(decoding.build()).build();
        audio = new WebSocketAudio(socket, context, sampleRate);
        transcription = provider.transcribe(Multi.createFrom().publisher(audio), options).subscribe().with(
                event -> context.runOnContext(v -> send(event)),
                failure -> context.runOnContext(v -> fail(OpenAiApiException.from(failure, null, null))),
                () -> context.runOnContext(v -> close(1000, "end")));
        // after a refusal at subscription (a full engine), which the failure handler has queued before this
        context.runOnContext(v -> {
            if (!over) {
                socket.writeTextMessage(new JsonObject().put("type", "started").put("model", providerName)
                        .put(SAMPLE_RATE, sampleRate).put("vad", options.vad()).encode());
            }
        });
    }

    private void send(TranscriptEvent event) {
        if (over) {
            return;
        }
        JsonObject json = switch (event) {
            case TranscriptEvent.Partial p -> timed("partial", p.start(), p.end(), p.text());
            case TranscriptEvent.Final f -> {
                confirmed.append(f.text());
                JsonArray words = new JsonArray();
                for (Word word : f.words()) {
                    words.add(new JsonObject().put("word", word.text().strip())
                            .put("start", TranscriptFormats.seconds(word.start()))
                            .put("end", TranscriptFormats.seconds(word.end())));
                }
                yield timed("final", f.start(), f.end(), f.text()).put("words", words);
            }
            case TranscriptEvent.End e -> new JsonObject().put("type", "end")
                    .put("duration", TranscriptFormats.seconds(e.duration()))
                    .put("text", confirmed.toString().strip());
        };
        socket.writeTextMessage(json.encode());
    }

    private static JsonObject timed(String type, Duration start, Duration end, String text) {
        return new JsonObject().put("type", type).put("start", TranscriptFormats.seconds(start))
                .put("end", TranscriptFormats.seconds(end)).put("text", text);
    }

    /** Sends the error and closes with {@code 4000 + status}; stops the transcription. */
    private void fail(OpenAiApiException error) {
        if (over) {
            return;
        }
        if (error.status() >= 500 && error.status() != 503 && error.status() != 504) {
            LOG.errorf(error.getCause(), "live session failed: %s", error.getMessage());
        }
        JsonObject json = new JsonObject().put("type", "error").put("status", error.status())
                .put("code", error.code()).put("param", error.param()).put("message", error.getMessage());
        error.retryAfterSeconds().ifPresent(seconds -> json.put("retry_after", seconds));
        socket.writeTextMessage(json.encode());
        close(CLOSE_CODE_BASE + error.status(), error.code() == null ? error.type() : error.code());
    }

    private void close(int code, String reason) {
        if (over) {
            return;
        }
        stop();
        socket.close((short) code, reason);
    }

    /** The session is over: no more messages, and the provider's work is cancelled if it still runs. */
    private void stop() {
        over = true;
        if (transcription != null) {
            transcription.cancel();
        }
    }

    private static int sampleRate(String value) {
        if (value == null || value.isBlank()) {
            throw OpenAiApiException.badRequest("Missing required parameter: '" + SAMPLE_RATE + "'.", SAMPLE_RATE,
                    "missing_required_parameter");
        }
        int rate;
        try {
            rate = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            rate = -1;
        }
        if (rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
            throw OpenAiApiException.badRequest("'" + abbreviate(value) + "' is not a valid " + SAMPLE_RATE
                    + ": it must be a whole number of samples per second from " + MIN_SAMPLE_RATE + " to "
                    + MAX_SAMPLE_RATE + ".", SAMPLE_RATE, "invalid_value");
        }
        return rate;
    }

    /** A start message's field as text: numbers such as {@code 16000} are accepted as well as strings. */
    private static String stringOf(Object value) {
        return value == null ? null : value.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
