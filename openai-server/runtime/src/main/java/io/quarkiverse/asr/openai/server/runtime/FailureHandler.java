package io.quarkiverse.asr.openai.server.runtime;

import java.util.OptionalLong;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns failures of the OpenAI routes into OpenAI error responses: the {@link OpenAiApiException}s of the
 * {@link MultipartBodyHandler} (a malformed form or a field over its limit, 400; a body over the limit, 413) as they
 * are, other client errors Vert.x reports with their 4xx status, and anything unexpected as 500.
 */
final class FailureHandler implements Handler<RoutingContext> {

    private final long maxUploadSize;

    FailureHandler(long maxUploadSize) {
        this.maxUploadSize = maxUploadSize;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        OpenAiApiException error;
        if (failure instanceof OpenAiApiException e) {
            error = e;
        } else if (status == 413) {
            error = OpenAiApiException.tooLarge(maxUploadSize);
        } else if (status >= 400 && status < 500) {
            error = new OpenAiApiException(status, OpenAiApiException.INVALID_REQUEST,
                    "The request could not be read" + (failure == null ? "." : ": " + failure.getMessage()), null,
                    null, OptionalLong.empty(), failure);
        } else {
            error = OpenAiApiException.internal("The server had an error while processing your request.", failure);
        }
        ErrorResponses.refuse(ctx, error);
    }
}
