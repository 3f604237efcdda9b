package io.quarkiverse.asr.openai.server.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

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

    private static final String BEARER = "bearer ";

    /** SHA-256 of the configured key, so that comparing takes the same time whatever the lengths; null when unset. */
    private final byte[] keyDigest;
    private final long maxUploadSize;

    RequestGuard(Optional<String> apiKey, long maxUploadSize) {
        this.keyDigest = apiKey.map(String::strip).filter(k -> !k.isEmpty()).map(RequestGuard::sha256).orElse(null);
        this.maxUploadSize = maxUploadSize;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (keyDigest != null) {
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    || authorization.substring(BEARER.length()).isBlank()) {
                ErrorResponses.refuse(ctx, OpenAiApiException.missingApiKey());
                return;
            }
            byte[] given = sha256(authorization.substring(BEARER.length()).strip());
            if (!MessageDigest.isEqual(given, keyDigest)) {
                ErrorResponses.refuse(ctx, OpenAiApiException.invalidApiKey());
                return;
            }
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

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
