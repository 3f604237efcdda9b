package io.quarkiverse.asr.runtime.http;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long the application's own transcription endpoints wait for a request body, when they watch it with
 * {@link UploadWatch} (the demo's {@code POST /transcribe} does). The OpenAI-compatible API has its own settings,
 * {@code quarkus.asr.openai-api.upload-idle-timeout} and {@code upload-timeout}, next to its other limits.
 */
@ConfigMapping(prefix = "quarkus.asr.http")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface AsrHttpRuntimeConfig {

    /**
     * The longest a request body may go without a byte arriving, from the end of the request's headers to the end of
     * its body. A client that stalls longer is answered with 408 {@code upload_timeout} and its connection is closed.
     * Only the upload is watched: a long transcription after it is not cut, as {@code quarkus.http.idle-timeout} would.
     */
    @WithDefault("30S")
    Duration uploadIdleTimeout();

    /**
     * The longest a whole request body may take to arrive, however steadily it trickles in. A slower one is answered
     * with 408 {@code upload_timeout} and its connection is closed.
     */
    @WithDefault("10M")
    Duration uploadTimeout();
}
