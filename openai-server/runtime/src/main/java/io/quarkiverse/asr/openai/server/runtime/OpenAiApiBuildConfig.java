package io.quarkiverse.asr.openai.server.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The OpenAI-compatible transcription API, settings fixed when the application is built.
 */
@ConfigMapping(prefix = "quarkus.asr.openai-api")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface OpenAiApiBuildConfig {

    /**
     * Whether to serve the OpenAI-compatible endpoints {@code POST <path>/audio/transcriptions} and
     * {@code POST <path>/audio/translations}. When {@code false}, no route is registered at all.
     * <p>
     * The endpoints run on the Vert.x HTTP server: the application needs {@code io.quarkus:quarkus-vertx-http} (which
     * {@code quarkus-rest} and most web extensions already bring); the build fails when it is missing.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * The path the endpoints are served under, relative to {@code quarkus.http.root-path}: with the default
     * {@code /v1}, OpenAI clients use {@code http://host:port/v1} as their base URL.
     */
    @WithDefault("/v1")
    String path();

    /**
     * The path of the endpoint that answers whisper.cpp's {@code whisper-server} requests ({@code POST /inference}
     * with its form fields), relative to {@code quarkus.http.root-path}, so that its clients can use this application
     * unchanged. Served when {@code enabled} is set.
     */
    @WithDefault("/inference")
    String inferencePath();

    /** The live transcription WebSocket. */
    Live live();

    /** The live transcription WebSocket, fixed when the application is built. */
    interface Live {

        /**
         * Whether to serve live transcription over a WebSocket at {@code <path>/audio/live} (see
         * {@code docs/live-api.md}): PCM audio in, partial and final text out. Independent of {@code enabled}: either
         * or both may be served. When {@code false}, no route is registered.
         */
        @WithDefault("false")
        boolean enabled();
    }
}
