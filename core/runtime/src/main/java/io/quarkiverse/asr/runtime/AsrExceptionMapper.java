package io.quarkiverse.asr.runtime;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkiverse.asr.spi.AsrException;

/**
 * Answers the providers' failures in Quarkus REST endpoints by {@link AsrHttpStatus}, with the body
 * {@code {"error": {"type": "...", "message": "..."}}}. Registered only when the application has {@code quarkus-rest}.
 */
public class AsrExceptionMapper {

    /** The error body. */
    public record ErrorBody(Error error) {

        /** @param type the {@link AsrHttpStatus#code()} */
        public record Error(String type, String message) {
        }
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> map(AsrException failure) {
        return response(AsrHttpStatus.of(failure), failure.getMessage());
    }

    /** A request parameter out of its type or range: 400, with the message that names it. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> map(InvalidParameterException failure) {
        return response(AsrHttpStatus.INVALID_REQUEST, failure.getMessage());
    }

    /** The answer of an HTTP status with a message, for endpoints that refuse requests themselves. */
    public static RestResponse<ErrorBody> response(AsrHttpStatus status, String message) {
        RestResponse.ResponseBuilder<ErrorBody> response = RestResponse.ResponseBuilder.create(
                RestResponse.Status.fromStatusCode(status.status()),
                new ErrorBody(new ErrorBody.Error(status.code(), message)));
        status.retryAfterSeconds().ifPresent(seconds -> response.header("Retry-After", seconds));
        return response.build();
    }
}
