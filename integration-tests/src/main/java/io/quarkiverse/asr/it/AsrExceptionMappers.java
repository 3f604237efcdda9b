package io.quarkiverse.asr.it;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;

/** Maps the SPI's typed failures to HTTP statuses with a JSON body that says what went wrong. */
public class AsrExceptionMappers {

    /** The error body: {@code {"error": {"type": "...", "message": "..."}}}. */
    public record ErrorBody(Error error) {
        public record Error(String type, String message) {
        }
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> badOption(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> asr(AsrException e) {
        return switch (e) {
            case UnsupportedAudioException u -> error(Response.Status.BAD_REQUEST, "unsupported_audio", u.getMessage());
            case UnsupportedFeatureException u -> error(Response.Status.BAD_REQUEST, "unsupported_feature", u.getMessage());
            case OverloadedException o -> RestResponse.ResponseBuilder
                    .create(Response.Status.SERVICE_UNAVAILABLE, body("overloaded", o.getMessage()))
                    .header(HttpHeaders.RETRY_AFTER, o.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(1L))
                    .build();
            case ProviderUnavailableException u -> error(Response.Status.SERVICE_UNAVAILABLE, "unavailable", u.getMessage());
            case TranscriptionTimeoutException t -> error(Response.Status.GATEWAY_TIMEOUT, "timeout", t.getMessage());
            case CancelledException c -> error(Response.Status.SERVICE_UNAVAILABLE, "cancelled", c.getMessage());
            default -> error(Response.Status.INTERNAL_SERVER_ERROR, "asr_error", e.getMessage());
        };
    }

    private static RestResponse<ErrorBody> error(Response.Status status, String type, String message) {
        return RestResponse.status(status, body(type, message));
    }

    private static ErrorBody body(String type, String message) {
        return new ErrorBody(new ErrorBody.Error(type, message));
    }
}
