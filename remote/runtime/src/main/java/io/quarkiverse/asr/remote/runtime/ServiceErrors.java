package io.quarkiverse.asr.remote.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Turns the service's error answers into the SPI's typed exceptions, with the service's own message (OpenAI's
 * {@code {"error": {"message", "type", "param", "code"}}}, whisper-server's {@code {"error": "message"}}, or the start
 * of whatever body it sent).
 */
final class ServiceErrors implements ResponseExceptionMapper<AsrException> {

    private static final int MAX_MESSAGE = 500;

    private final String service;
    private final String property;

    /**
     * @param service the service, for messages: its base URL
     * @param property the prefix of the provider's configuration keys, for hints
     */
    ServiceErrors(String service, String property) {
        this.service = service;
        this.property = property;
    }

    @Override
    public AsrException toThrowable(Response response) {
        int status = response.getStatus();
        JsonObject error = error(response);
        String code = error.getString("code", "");
        String message = "The transcription service " + service + " answered " + status + " "
                + response.getStatusInfo().getReasonPhrase() + ": " + error.getString("message", "(no message)");
        return switch (status) {
            case 400 -> "unsupported_feature".equals(code) || "unsupported_language".equals(code)
                    || "language".equals(error.getString("param"))
                            ? new UnsupportedFeatureException(message)
                            // the options were checked before sending: what is left to refuse is the audio
                            : new UnsupportedAudioException(message);
            case 401, 403 -> new ProviderUnavailableException(message + " (check " + property + "api-key)");
            // the proxy refused the request before the service saw it
            case 407 -> new ProviderUnavailableException(message + " (check " + property + "proxy-user and "
                    + property + "proxy-password)");
            case 404 -> "model_not_found".equals(code)
                    ? new ModelException(message + " (check " + property + "model)")
                    : new ProviderUnavailableException(message + " (check " + property + "base-url)");
            case 413 -> new UnsupportedAudioException(message + " (the recording is too large for the service)");
            case 429 -> "insufficient_quota".equals(code)
                    ? new ProviderUnavailableException(message)
                    : new OverloadedException(message, retryAfter(response));
            case 503 -> new OverloadedException(message, retryAfter(response));
            case 504 -> new TranscriptionTimeoutException(message);
            default -> status >= 500 ? new ProviderUnavailableException(message, null, true) : new AsrException(message);
        };
    }

    /**
     * The {@code error} object of an OpenAI error body, or one holding whisper-server's error text or the start of any
     * other body as its message.
     */
    private static JsonObject error(Response response) {
        String body;
        try {
            body = response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException e) {
            body = "";
        }
        try {
            Object error = new JsonObject(body).getValue("error");
            if (error instanceof JsonObject openAi && openAi.getValue("message") instanceof String) {
                return openAi;
            }
            if (error instanceof String message) {
                return new JsonObject().put("message", message);
            }
        } catch (DecodeException | ClassCastException e) {
            // not OpenAI's error format: quote the body
        }
        String text = body.strip();
        return new JsonObject().put("message", text.isEmpty() ? "(no message)"
                : text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text);
    }

    /**
     * The wait the service asks for: OpenAI's {@code retry-after-ms}, else {@code Retry-After} as seconds or as an
     * HTTP date; {@code null} when it gives none that can be read.
     */
    static Duration retryAfter(Response response) {
        String millis = response.getHeaderString("retry-after-ms");
        if (millis != null) {
            try {
                return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(millis.strip()))));
            } catch (NumberFormatException e) {
                // fall back to Retry-After
            }
        }
        String value = response.getHeaderString("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            // an HTTP date
        }
        try {
            Instant when = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(Instant.now(), when);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
