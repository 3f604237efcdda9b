package io.quarkiverse.asr.openai.server.runtime;

import java.time.Duration;
import java.util.OptionalLong;

import io.quarkiverse.asr.runtime.AsrHttpStatus;
import io.quarkiverse.asr.runtime.http.UploadTimeoutException;
import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.vertx.core.json.JsonObject;

/**
 * A failed request, as OpenAI reports it: an HTTP status and the body
 * {@code {"error": {"message", "type", "param", "code"}}}.
 */
public final class OpenAiApiException extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String SERVER_ERROR = "server_error";

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final OptionalLong retryAfterSeconds;

    OpenAiApiException(int status, String type, String message, String param, String code,
            OptionalLong retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static OpenAiApiException badRequest(String message, String param, String code) {
        return new OpenAiApiException(400, INVALID_REQUEST, message, param, code, OptionalLong.empty(), null);
    }

    static OpenAiApiException missingApiKey() {
        return new OpenAiApiException(401, INVALID_REQUEST,
                "You didn't provide an API key. You need to provide your API key in an Authorization header using "
                        + "Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                null, null, OptionalLong.empty(), null);
    }

    static OpenAiApiException invalidApiKey() {
        return new OpenAiApiException(401, INVALID_REQUEST, "Incorrect API key provided.", null, "invalid_api_key",
                OptionalLong.empty(), null);
    }

    static OpenAiApiException modelNotFound(String model, String available) {
        return new OpenAiApiException(404, INVALID_REQUEST, "The model `" + model + "` does not exist. "
                + available, "model", "model_not_found", OptionalLong.empty(), null);
    }

    static OpenAiApiException tooLarge(long limit) {
        return new OpenAiApiException(413, INVALID_REQUEST,
                "Maximum content size limit (" + limit + ") exceeded.", "file", "request_too_large",
                OptionalLong.empty(), null);
    }

    /** The upload stalled or took too long ({@code upload-idle-timeout}, {@code upload-timeout}). */
    static OpenAiApiException uploadTimeout(UploadTimeoutException late) {
        return new OpenAiApiException(AsrHttpStatus.UPLOAD_TIMEOUT.status(), INVALID_REQUEST, late.getMessage(), "file",
                AsrHttpStatus.UPLOAD_TIMEOUT.code(), OptionalLong.empty(), null);
    }

    static OpenAiApiException timedOut(Duration limit) {
        return new OpenAiApiException(504, SERVER_ERROR, "The transcription did not finish within " + limit + ".",
                null, "timeout", OptionalLong.empty(), null);
    }

    static OpenAiApiException internal(String message, Throwable cause) {
        return new OpenAiApiException(500, SERVER_ERROR, message, null, null, OptionalLong.empty(), cause);
    }

    /**
     * Maps a provider failure to its HTTP answer, by {@link AsrHttpStatus}. Messages may name an upload's file on this
     * server: its path and its name are replaced with {@code clientName}, the file name the client sent.
     */
    static OpenAiApiException from(Throwable failure, AudioInput audio, String clientName) {
        if (failure instanceof OpenAiApiException e) {
            return e;
        }
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        if (audio instanceof AudioInput.File file) {
            message = message.replace(file.path().toString(), clientName)
                    .replace(String.valueOf(file.path().getFileName()), clientName);
        }
        if (failure instanceof AsrException e) {
            AsrHttpStatus http = AsrHttpStatus.of(e);
            return new OpenAiApiException(http.status(), http.status() < 500 ? INVALID_REQUEST : SERVER_ERROR, message,
                    failure instanceof UnsupportedAudioException ? "file" : null, http.code(),
                    http.retryAfterSeconds(), failure);
        }
        return internal("The server had an error while processing your request.", failure);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    /** The {@code Retry-After} header, in seconds, for 503 answers. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** {@code {"error": {"message": ..., "type": ..., "param": ..., "code": ...}}} */
    public JsonObject toJson() {
        JsonObject error = new JsonObject()
                .put("message", getMessage())
                .put("type", type)
                .put("param", param)
                .put("code", code);
        return new JsonObject().put("error", error);
    }
}
