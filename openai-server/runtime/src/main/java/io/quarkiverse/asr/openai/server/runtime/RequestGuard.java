package io.quarkiverse.asr.openai.server.runtime;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.quarkiverse.asr.runtime.RequestIds;
import io.quarkiverse.asr.spi.OverloadedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Checks what can be checked before the upload is read: the API key, the declared size, the content type and its
 * boundary, and whether the providers have room for the request. Refused requests are answered at once, without
 * storing their body. Gives each request its {@link RequestIds id}, for the logs and the {@code X-Request-Id} header.
 * <p>
 * A {@link PlatformHandler}, because Vert.x Web only lets those run before a route's body handler.
 */
final class RequestGuard implements PlatformHandler {

    private static final String REQUEST_ID = "asr.request-id";

    private final ApiKey apiKey;
    private final long maxUploadSize;
    private final ProviderResolver providers;

    RequestGuard(ApiKey apiKey, long maxUploadSize, ProviderResolver providers) {
        this.apiKey = apiKey;
        this.maxUploadSize = maxUploadSize;
        this.providers = providers;
    }

    /** The id of a request, as the logs and the {@code X-Request-Id} header give it. */
    static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID);
        return id == null ? "-" : id;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String id = RequestIds.of(request.getHeader(RequestIds.HEADER));
        ctx.put(REQUEST_ID, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
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
        if (MultipartBodyHandler.boundary(contentType).isEmpty()) {
            ErrorResponses.refuse(ctx, OpenAiApiException.badRequest("The multipart/form-data Content-Type has no "
                    + "boundary parameter: expected 'multipart/form-data; boundary=...', got '" + contentType + "'.",
                    null, "invalid_content_type"));
            return;
        }
        Optional<OverloadedException> overloaded = overloaded();
        if (overloaded.isPresent()) {
            ErrorResponses.refuse(ctx, OpenAiApiException.from(overloaded.get(), null, null));
            return;
        }
        ctx.next();
    }

    /**
     * The refusal with the earliest Retry-After when every served provider is full, so that whichever one the
     * request's {@code model} names, it would be refused; empty when one has room. The {@code model} is in the body,
     * which is not read yet.
     */
    private Optional<OverloadedException> overloaded() {
        List<OverloadedException> refusals = providers.served().stream()
                .map(name -> providers.provider(name).overloaded())
                .takeWhile(Optional::isPresent)
                .map(Optional::get)
                .toList();
        if (refusals.size() < providers.served().size()) {
            return Optional.empty();
        }
        return refusals.stream().min(Comparator.comparing(e -> e.retryAfter().orElse(Duration.ZERO)));
    }

    /** A Content-Length header's value; {@link Long#MAX_VALUE} when it is not a number. */
    static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            // the HTTP codec rejects malformed lengths before routing; treat anything else as too large
            return Long.MAX_VALUE;
        }
    }
}
