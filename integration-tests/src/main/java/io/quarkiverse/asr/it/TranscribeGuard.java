package io.quarkiverse.asr.it;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotSupportedException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkiverse.asr.runtime.AsrExceptionMapper;
import io.quarkiverse.asr.runtime.AsrHttpStatus;
import io.quarkiverse.asr.runtime.http.AsrHttpRuntimeConfig;
import io.quarkiverse.asr.runtime.http.RefusedRequests;
import io.quarkiverse.asr.runtime.http.UploadTimeouts;
import io.quarkiverse.asr.runtime.http.UploadWatch;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers what Quarkus REST would answer with an empty body or a 500 page on {@code POST /transcribe}, in the JSON of
 * the other errors: a declared body over {@code quarkus.http.limits.max-body-size} (413, before the body is read), a
 * media type the endpoint does not take (415), a multipart Content-Type without its boundary (400), and a multipart
 * body that ends without its closing boundary (400), each read to its end before the connection closes; and, with the
 * {@link UploadWatch} the OpenAI-compatible API uses too, a client that sends nothing of its body for
 * {@code quarkus.asr.http.upload-idle-timeout} or takes longer than {@code quarkus.asr.http.upload-timeout} in all
 * (408, connection closed).
 */
@ApplicationScoped
public class TranscribeGuard {

    private static final Logger LOG = Logger.getLogger(TranscribeGuard.class);

    /** The media types of {@link TranscriptionResource}. */
    static final Set<String> ACCEPTED = Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave",
            "application/octet-stream", "multipart/form-data");

    /** Before Quarkus' own size check (order -2), which answers 413 with an empty body. */
    private static final int ORDER = -3;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    @Inject
    AsrHttpRuntimeConfig http;

    void route(@Observes Router router) {
        router.post("/transcribe").order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long limit = maxBodySize.asLongValue();
        if (length != null && declared(length) > limit) {
            refuse(ctx, 413, "request_too_large", "The body is larger than this server accepts: at most " + limit
                    + " bytes (quarkus.http.limits.max-body-size).");
            return;
        }
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!ACCEPTED.contains(mediaType)) {
            refuse(ctx, 415, "unsupported_media_type", unsupported(contentType));
            return;
        }
        if (mediaType.equals("multipart/form-data") && !contentType.toLowerCase(Locale.ROOT).contains("boundary=")) {
            refuse(ctx, 400, AsrHttpStatus.INVALID_REQUEST.code(), "The multipart/form-data Content-Type has no "
                    + "boundary parameter: expected 'multipart/form-data; boundary=...', got '" + contentType + "'.");
            return;
        }
        UploadWatch.start(ctx, UploadTimeouts.of(http),
                late -> refuse(ctx, AsrHttpStatus.UPLOAD_TIMEOUT.status(), AsrHttpStatus.UPLOAD_TIMEOUT.code(),
                        late.getMessage()));
        ctx.next();
    }

    private static String unsupported(String contentType) {
        return "POST /transcribe takes the audio as the body (" + String.join(", ", ACCEPTED.stream()
                .filter(t -> !t.startsWith("multipart")).sorted().toList()) + ") or as the 'file' part of a "
                + "multipart/form-data form, got " + (contentType == null ? "no Content-Type" : "'" + contentType + "'")
                + ".";
    }

    private static long declared(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            // the HTTP codec rejects malformed lengths before routing
            return Long.MAX_VALUE;
        }
    }

    /**
     * Answers at once and closes the connection once the rest of the body, if any, has been read and dropped, so that a
     * client writing it before reading sees the answer; a client too slow to send its upload is not waited for.
     */
    private static void refuse(RoutingContext ctx, int status, String code, String message) {
        LOG.debugf("%s %s answered %d: %s", ctx.request().method(), ctx.request().path(), status, message);
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        RefusedRequests.answer(ctx,
                new JsonObject().put("error", new JsonObject().put("type", code).put("message", message)).encode());
    }

    /** A media type no method takes, found by Quarkus REST (a request routed past {@link #check}). */
    @ServerExceptionMapper
    public RestResponse<AsrExceptionMapper.ErrorBody> unsupportedMediaType(NotSupportedException failure) {
        return RestResponse.status(RestResponse.Status.UNSUPPORTED_MEDIA_TYPE, new AsrExceptionMapper.ErrorBody(
                new AsrExceptionMapper.ErrorBody.Error("unsupported_media_type", failure.getMessage())));
    }

    /**
     * A multipart body Quarkus REST cannot read to its end: "Connection terminated reading multipart data" when it
     * ends without its closing boundary. The client's fault, and nothing the server needs to log above DEBUG.
     */
    @ServerExceptionMapper
    public RestResponse<AsrExceptionMapper.ErrorBody> unreadableBody(IOException failure) {
        LOG.debugf("An unreadable request body: %s", failure.getMessage());
        return AsrExceptionMapper.response(AsrHttpStatus.INVALID_REQUEST, "The request body could not be read: "
                + failure.getMessage() + " (a multipart body must end with its closing boundary '--<boundary>--').");
    }
}
