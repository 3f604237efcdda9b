package io.quarkiverse.asr.runtime.http;

import java.time.Duration;

/**
 * The bounds {@link UploadWatch} keeps a request body to.
 *
 * @param idle the longest the body may go without a byte arriving
 * @param total the longest the whole body may take to arrive
 * @param configPrefix the prefix of the {@code upload-idle-timeout} and {@code upload-timeout} properties these come
 *        from, which the answer names
 */
public record UploadTimeouts(Duration idle, Duration total, String configPrefix) {

    /** The settings of the application's own endpoints, {@code quarkus.asr.http.*}. */
    public static UploadTimeouts of(AsrHttpRuntimeConfig config) {
        return new UploadTimeouts(config.uploadIdleTimeout(), config.uploadTimeout(), "quarkus.asr.http");
    }
}
