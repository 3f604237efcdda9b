package io.quarkiverse.asr.openai.server.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.runtime.InvalidParameterException;
import io.quarkiverse.asr.runtime.RequestParameters;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST .../audio/transcriptions} and {@code POST .../audio/translations}: reads the form, runs the provider on
 * the uploaded file and answers in the requested format.
 * <p>
 * Runs on the event loop and never blocks it: the provider reads and decodes the upload on its own workers. When the
 * client goes away, or the request timeout passes, the subscription is cancelled, which stops the provider's work. The
 * {@link MultipartBodyHandler} deletes the upload when the exchange ends, whichever way.
 */
final class TranscriptionHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(TranscriptionHandler.class);

    static final String FILE = "file";
    static final String MODEL = "model";
    static final String LANGUAGE = "language";
    static final String PROMPT = "prompt";
    static final String TEMPERATURE = "temperature";
    static final String NO_SPEECH_THRESHOLD = "no_speech_threshold";
    static final String RESPONSE_FORMAT = "response_format";
    static final String GRANULARITIES = "timestamp_granularities";

    private final boolean translate;
    private final ProviderResolver providers;
    private final Optional<Duration> timeout;

    TranscriptionHandler(boolean translate, ProviderResolver providers, Optional<Duration> timeout) {
        this.translate = translate;
        this.providers = providers;
        this.timeout = timeout;
    }

    /** A validated request; {@code providerName} is the {@code @AsrProviderName} of the bean that answers. */
    record Request(FileUpload file, String providerName, ResponseFormat format, TranscriptionOptions options,
            TranscriptFormats.Verbose verbose) {
    }

    @Override
    public void handle(RoutingContext ctx) {
        Request request;
        AsrProvider provider;
        boolean stream;
        try {
            request = parse(ctx);
            provider = providers.provider(request.providerName());
            if (translate && !provider.info().supports(Capability.TRANSLATION)) {
                throw OpenAiApiException.badRequest("The model `" + request.providerName() + "` (" + provider.info().model()
                        + ") is English-only and cannot translate.", MODEL, "unsupported_feature");
            }
            stream = StreamedTranscription.requested(ctx.request().formAttributes(), request.format());
        } catch (OpenAiApiException e) {
            ErrorResponses.send(ctx, e);
            return;
        } catch (InvalidParameterException e) {
            ErrorResponses.send(ctx, OpenAiApiException.badRequest(e.getMessage(), e.parameter(),
                    LANGUAGE.equals(e.parameter()) ? "unsupported_language" : "invalid_value"));
            return;
        }

        String clientName = request.file().fileName() == null || request.file().fileName().isBlank() ? "audio"
                : request.file().fileName();
        AudioInput audio = MultipartBodyHandler.audio(request.file(), clientName);
        if (stream) {
            StreamedTranscription.send(ctx, provider, request.options(), audio, clientName, timeout);
            return;
        }
        Uni<Transcript> work = provider.transcribe(audio, request.options());
        if (timeout.isPresent()) {
            Duration limit = timeout.get();
            work = work.ifNoItem().after(limit).failWith(() -> OpenAiApiException.timedOut(limit));
        }
        Context current = Vertx.currentContext();
        Context context = current != null ? current : ctx.vertx().getOrCreateContext();
        Cancellable subscription = work.subscribe().with(
                transcript -> context.runOnContext(v -> answer(ctx, request, transcript)),
                failure -> context.runOnContext(v -> ErrorResponses.send(ctx,
                        OpenAiApiException.from(failure, audio, clientName))));
        // the response was sent, or the connection closed before: either way nothing more is wanted
        ctx.addEndHandler(result -> {
            if (result.failed()) {
                LOG.debugf("%s %s [%s]: the client went away; its transcription is cancelled", ctx.request().method(),
                        ctx.request().path(), RequestGuard.requestId(ctx));
            }
            subscription.cancel();
        });
        if (ctx.response().closed()) {
            subscription.cancel();
        }
    }

    private static void answer(RoutingContext ctx, Request request, Transcript transcript) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        String body;
        try {
            body = TranscriptFormats.render(request.format(), transcript, request.verbose());
        } catch (RuntimeException e) {
            ErrorResponses.send(ctx, OpenAiApiException.internal("The transcript could not be written.", e));
            return;
        }
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, request.format().contentType())
                .end(body);
    }

    private Request parse(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        FileUpload file = file(ctx, form);

        String providerName = providers.nameFor(single(form, MODEL));

        String formatValue = single(form, RESPONSE_FORMAT);
        ResponseFormat format = formatValue == null || formatValue.isBlank() ? ResponseFormat.JSON
                : ResponseFormat.of(formatValue.strip()).orElseThrow(() -> OpenAiApiException.badRequest(
                        "'" + formatValue + "' is not one of " + ResponseFormat.listed() + " - 'response_format'",
                        RESPONSE_FORMAT, "invalid_value"));

        List<String> granularities = new ArrayList<>(form.getAll(GRANULARITIES + "[]"));
        granularities.addAll(form.getAll(GRANULARITIES));
        boolean words = false;
        for (String value : granularities) {
            switch (value.strip()) {
                case "word" -> words = true;
                case "segment" -> {
                    // segments are always listed
                }
                default -> throw OpenAiApiException.badRequest("'" + value + "' is not one of ['word', 'segment'] - "
                        + "'timestamp_granularities'", GRANULARITIES, "invalid_value");
            }
        }
        if (words && format != ResponseFormat.VERBOSE_JSON) {
            throw OpenAiApiException.badRequest("timestamp_granularities[]=word requires response_format="
                    + "verbose_json, got " + format.value() + ".", GRANULARITIES, "invalid_value");
        }

        TranscriptionOptions.Builder options = TranscriptionOptions.builder()
                .translate(translate)
                .wordTimestamps(words);
        if (format.timed()) {
            options.timestamps(true);
        }
        Optional<String> language = RequestParameters.language(LANGUAGE, single(form, LANGUAGE), options::language);
        String languageCode = language.filter(code -> !code.equals(TranscriptionOptions.AUTO_LANGUAGE)).orElse(null);
        String prompt = single(form, PROMPT);
        if (prompt != null && !prompt.isBlank()) {
            options.initialPrompt(prompt);
        }
        Optional<Float> temperature = RequestParameters.number(TEMPERATURE, single(form, TEMPERATURE),
                options::temperature);
        RequestParameters.number(NO_SPEECH_THRESHOLD, single(form, NO_SPEECH_THRESHOLD), options::noSpeechThreshold);
        // the temperature as the client wrote it, not widened from a float
        TranscriptFormats.Verbose verbose = new TranscriptFormats.Verbose(translate ? "translate" : "transcribe",
                languageCode, temperature.map(t -> Double.parseDouble(Float.toString(t))).orElse(0.0), words);
        return new Request(file, providerName, format, options.build(), verbose);
    }

    private static FileUpload file(RoutingContext ctx, MultiMap form) {
        List<FileUpload> files = ctx.fileUploads().stream().filter(f -> FILE.equals(f.name())).toList();
        if (files.size() > 1) {
            throw OpenAiApiException.badRequest("Send one file per request, got " + files.size() + ".", FILE,
                    "invalid_value");
        }
        if (files.isEmpty()) {
            throw OpenAiApiException.badRequest(form.contains(FILE)
                    ? "'file' must be an uploaded file (a multipart part with a filename), not a text field."
                    : "Missing required parameter: 'file'.", FILE,
                    form.contains(FILE) ? "invalid_value" : "missing_required_parameter");
        }
        return files.get(0);
    }

    /** The first value of a form field without surrounding white space, {@code null} when absent. */
    private static String single(MultiMap form, String name) {
        String value = form.get(name);
        return value == null ? null : value.strip();
    }
}
