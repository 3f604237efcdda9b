package io.quarkiverse.asr.runtime.http;

import io.quarkiverse.asr.runtime.AsrHttpStatus;

/**
 * A request body that did not arrive within its {@link UploadTimeouts}: the client's fault, answered with
 * {@link AsrHttpStatus#UPLOAD_TIMEOUT} and a closed connection. The message names the property that set the bound.
 */
public final class UploadTimeoutException extends RuntimeException {

    UploadTimeoutException(String message) {
        // a verdict on the client, not a failure of this code: no stack trace
        super(message, null, false, false);
    }
}
