package io.quarkiverse.asr.remote.runtime.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;

/**
 * Remote providers: OpenAI-compatible transcription services, read when the application starts.
 */
@ConfigMapping(prefix = "quarkus.asr.remote")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface RemoteRuntimeConfig {

    /**
     * The unnamed remote provider, injected as {@code @AsrProviderName("remote") AsrProvider}, and as
     * {@code @Inject AsrProvider} when {@code quarkus.asr.provider} is {@code remote}.
     */
    @WithParentName
    RemoteProviderConfig defaultConfig();

    /**
     * Further remote providers, each with its own service, injected as {@code @AsrProviderName("name") AsrProvider}.
     * A named provider exists when its {@code base-url} is set in the configuration the application is built with.
     */
    @ConfigDocSection
    @ConfigDocMapKey("provider-name")
    @WithParentName
    @WithDefaults
    Map<String, RemoteProviderConfig> namedConfig();

    /**
     * Settings of one remote provider.
     */
    @ConfigGroup
    interface RemoteProviderConfig {

        /**
         * The base URL of the service. For the {@code openai} API, {@code /audio/transcriptions} and
         * {@code /audio/translations} are appended: OpenAI's own API, or for example {@code http://localhost:8080/v1}
         * for a Quarkus application serving the whisper extension's OpenAI-compatible API. For the
         * {@code whisper-server} API, {@code /inference} and {@code /health} are appended: the server's root, such as
         * {@code http://localhost:8080}, with its {@code --request-path} if it has one. Required: the application
         * does not start without it.
         */
        Optional<URI> baseUrl();

        /**
         * The API the service speaks.
         */
        @WithDefault("openai")
        Api api();

        /**
         * The API key, sent as {@code Authorization: Bearer <api-key>}. Not sent when unset.
         */
        Optional<String> apiKey();

        /**
         * The model the service is asked for, sent as the {@code model} field of every request.
         */
        @WithDefault("whisper-1")
        String model();

        /**
         * The longest wait for a connection to the service.
         */
        @WithDefault("10S")
        Duration connectTimeout();

        /**
         * The longest wait for the service's answer. Services answer when the whole recording is transcribed, so this
         * bounds the transcription time of the longest recording.
         */
        @WithDefault("5M")
        Duration readTimeout();

        /**
         * The name of the TLS configuration of the Quarkus TLS registry ({@code quarkus.tls."name".*}) the connections
         * to an {@code https} service use: its trust store for the service's certificate, its key store for a client
         * certificate, its protocols and hostname verification. Unset, the REST client's defaults apply: the JVM's trust
         * store, no client certificate. The application does not start when no TLS configuration has this name.
         */
        Optional<String> tlsConfigurationName();

        /**
         * The HTTP proxy requests go through, as {@code host:port}: {@code http} requests are sent to it with the
         * service's URL, {@code https} ones through a {@code CONNECT} tunnel. Unset, requests go straight to the
         * service. Not used for a whisper-server the provider runs itself ({@code server.binary}).
         */
        Optional<String> proxyAddress();

        /**
         * The user name sent to the proxy ({@code Proxy-Authorization: Basic}).
         */
        Optional<String> proxyUser();

        /**
         * The password sent to the proxy with {@code proxy-user}.
         */
        Optional<String> proxyPassword();

        /**
         * The hosts reached without the proxy, separated by {@code |}, with {@code *} as a wildcard, such as
         * {@code localhost|*.internal}, as in Java's {@code http.nonProxyHosts}.
         */
        Optional<String> nonProxyHosts();

        /**
         * Retries of requests the service refuses as too many ({@code 429}) or while unavailable ({@code 503}).
         */
        RetryConfig retry();

        /**
         * A whisper-server the provider starts and supervises itself (the out-of-process mode).
         */
        ServerConfig server();

        /**
         * Voice activity detection for live streams, run in this application: silence is not sent to the service.
         */
        VadConfig vad();
    }

    /**
     * Silero VAD, run in the JVM, gating live streams that ask for it in their {@code StreamingOptions}: only speech
     * is sent to the service, and each utterance is confirmed when it ends. File transcriptions are sent whole (the
     * service decides what it transcribes).
     */
    @ConfigGroup
    interface VadConfig {

        /**
         * The Silero VAD model in whisper.cpp's ggml format, {@code ggml-silero-v6.2.0.bin}. Without it, a live
         * stream that asks for voice activity detection fails with {@code UnsupportedFeatureException}. Read when
         * the provider starts. (Not {@code vad.model}: that would name a provider {@code vad}.)
         */
        Optional<Path> modelPath();

        /**
         * The speech probability, 0 to 1, from which a 32 ms frame counts as speech; speech ends below 0.15 less.
         */
        @WithDefault("0.5")
        float threshold();

        /**
         * Shorter speech is ignored.
         */
        @WithDefault("250ms")
        Duration minSpeechDuration();

        /**
         * Audio kept before and after each stretch of speech.
         */
        @WithDefault("30ms")
        Duration speechPad();
    }

    /**
     * A whisper-server child process: started with the provider on a free port of the loopback interface, its output
     * forwarded to JBoss Logging (category {@code io.quarkiverse.asr.remote.whisper-server}), restarted when it dies,
     * stopped with the application, and killed with the JVM however the JVM ends.
     */
    @ConfigGroup
    interface ServerConfig {

        /**
         * The {@code whisper-server} executable of a whisper.cpp build. When set, the provider starts and supervises
         * it, and talks to it with the {@code whisper-server} API: {@code base-url} and {@code api} are not used.
         * Its folder is put first on {@code LD_LIBRARY_PATH}, for builds whose libraries lie beside it. Needs
         * {@code sh} (Linux, macOS).
         */
        Optional<Path> binary();

        /**
         * The model file the server loads ({@code -m}). Required with {@code binary}.
         */
        Optional<Path> model();

        /**
         * The server's computation threads ({@code -t}).
         */
        @WithDefault("4")
        int threads();

        /**
         * Further arguments of the server's command line, such as {@code -l,auto} or {@code --convert}.
         */
        Optional<List<String>> args();

        /**
         * The longest wait for the server's {@code /health} to answer {@code 200} after a start: the application
         * fails to start when the first start takes longer; a restart that takes longer is stopped and tried again.
         */
        @WithDefault("60S")
        Duration startTimeout();

        /**
         * When the server is started again after it died.
         */
        RestartConfig restart();
    }

    /**
     * Restarts of a whisper-server that died.
     */
    @ConfigGroup
    interface RestartConfig {

        /**
         * The wait before the first restart; it doubles with each restart that follows without the server becoming
         * healthy in between, up to {@code max-delay}.
         */
        @WithDefault("500MS")
        Duration delay();

        /**
         * The longest wait before a restart.
         */
        @WithDefault("30S")
        Duration maxDelay();
    }

    /**
     * The transcription APIs the remote provider speaks.
     */
    enum Api {
        /**
         * OpenAI's transcription API ({@code POST /audio/transcriptions} and {@code /audio/translations}, answers in
         * {@code verbose_json}), as OpenAI and compatible services serve it.
         */
        OPENAI,
        /**
         * The native API of whisper.cpp's {@code whisper-server}: {@code POST /inference} with its own form fields
         * (beam search, {@code best_of}, the no-speech threshold), answers in its {@code verbose_json} with word
         * probabilities and language probabilities; {@code GET /health} drives the readiness check.
         */
        WHISPER_SERVER
    }

    /**
     * When requests are sent again.
     */
    @ConfigGroup
    interface RetryConfig {

        /**
         * How many times a request answered {@code 429 Too Many Requests} or {@code 503 Service Unavailable} is sent
         * again before it fails with {@code OverloadedException}; {@code 0} disables retries. Answers of
         * {@code 429} for an exhausted quota are not retried.
         */
        @WithDefault("3")
        int maxRetries();

        /**
         * The wait before the first retry when the answer has no {@code Retry-After} header; it doubles with each
         * further retry, up to {@code max-delay}.
         */
        @WithDefault("1S")
        Duration delay();

        /**
         * The longest wait before one retry. When the service's {@code Retry-After} asks for a longer wait, the
         * request is not retried: it fails at once with {@code OverloadedException}, carrying the service's hint.
         */
        @WithDefault("30S")
        Duration maxDelay();
    }
}
