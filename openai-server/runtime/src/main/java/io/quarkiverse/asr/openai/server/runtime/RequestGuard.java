package io.quarkiverse.asr.openai.server.runtime;

import java.util.Locale;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Checks what can be checked before the upload is read: the API key, the declared size and the content type.
 * Refused requests are answered at once, without storing their body.
 * <p>
 * A {@link PlatformHandler}, because Vert.x Web only lets those run before a route's body handler.
 */
final class RequestGuard implements PlatformHandler {

    private final ApiKey apiKey;
    private final long maxUploadSize;

    RequestGuard(ApiKey apiKey, long maxUploadSize) {
        this.apiKey = apiKey;
        this.maxUploadSize = maxUploadSize;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        try {
            apiKey.checkAuthorization(request.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (OpenAiApiException e) {
            ErrorResponses.refuse(ctx, e);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > maxUploadSize) {
            ErrorResponses.refuse(ctx, OpenAiApiException.tooLarge(maxUploadSize));
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            ErrorResponses.refuse(ctx, OpenAiApiException.badRequest(
                    "Expected a multipart/form-data request with the audio in the 'file' field, got "
                            + (contentType == null ? "no Content-Type" : "'" + contentType + "'") + ".",
                    null, "invalid_content_type"));
            return;
        }
        ctx.next();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            // the HTTP codec rejects malformed lengths before routing; treat anything else as too large
            return Long.MAX_VALUE;
        }
    }
}
