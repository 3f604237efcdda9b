package io.quarkiverse.asr.remote.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import jakarta.enterprise.util.TypeLiteral;

import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import io.quarkiverse.asr.remote.runtime.config.RemoteRuntimeConfig.Api;
import io.quarkiverse.asr.remote.runtime.config.RemoteRuntimeConfig.RemoteProviderConfig;
import io.quarkiverse.asr.remote.runtime.config.RemoteRuntimeConfig.VadConfig;
import io.quarkiverse.asr.runtime.observability.ProviderTelemetry;
import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.streaming.LiveTranscriber;
import io.quarkiverse.asr.spi.vad.SileroVad;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.spi.streaming.WindowTranscriber;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.WavEncoder;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;

/**
 * Transcribes through an OpenAI-compatible service: {@code POST <base-url>/audio/transcriptions} (or
 * {@code /audio/translations}) with the recording as a multipart upload, asking for {@code verbose_json} with segment
 * (and, when asked, word) timestamps; or through whisper.cpp's {@code whisper-server}, {@code POST <base-url>/inference}
 * with its own form fields. Requests the service refuses as too many ({@code 429}) or while unavailable
 * ({@code 503}) are sent again after the wait its {@code Retry-After} asks for, within the configured bounds.
 * <p>
 * The service decodes the audio; this provider only reads files and encodes decoded samples as WAV. The API takes whole
 * recordings, so live audio goes through the SPI's online processor, which sends its growing window again at every
 * step (see {@link #transcribe(Multi, StreamingOptions)}).
 */
public final class RemoteAsrProvider implements AsrProvider, AutoCloseable {

    /** The provider id, in {@code quarkus.asr.provider} and {@link ProviderInfo#name()}. */
    public static final String PROVIDER = "remote";

    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String STORK = "stork://";
    private static final String KEEP_ALIVE_ENABLED = "io.quarkus.rest.client.keep-alive-enabled";

    private final Api kind;
    private final Object api;
    private final String authorization;
    private final String model;
    private final String service;
    private final String readTimeoutProperty;
    private final String tlsConfigurationProperty;
    private final Duration readTimeout;
    private final ProviderInfo info;
    private final TypedGuard<Uni<VerboseTranscription>> guard;
    /** The whisper-server child this provider runs, {@code null} when it calls a service it does not run. */
    private final WhisperServerSupervisor supervisor;
    private final ProviderTelemetry telemetry;
    /** The detector gating live streams, {@code null} without {@code vad.model-path}. */
    private final SileroVad vad;
    private final VadParameters vadParameters;

    private RemoteAsrProvider(Object api, Api kind, String service, String prefix, RemoteProviderConfig config,
            String description, WhisperServerSupervisor supervisor) {
        this.kind = kind;
        this.api = api;
        this.supervisor = supervisor;
        this.service = service;
        this.readTimeoutProperty = prefix + "read-timeout";
        this.tlsConfigurationProperty = prefix + "tls-configuration-name";
        this.authorization = config.apiKey().map(key -> "Bearer " + key).orElse(null);
        // a server this provider runs has the model it was given; one it calls is asked for the configured one
        this.model = supervisor == null ? config.model()
                : config.server().model().orElseThrow().getFileName().toString();
        this.readTimeout = config.readTimeout();
        VadConfig vadConfig = config.vad();
        // the stream's vadSilence replaces the minimum silence
        this.vadParameters = VadParameters.of(vadConfig.threshold(), vadConfig.minSpeechDuration(),
                Duration.ofMillis(VadParameters.defaults().minSilenceDurationMs()), vadConfig.speechPad());
        this.vad = vadConfig.modelPath().map(SileroVad::load).orElse(null);
        EnumSet<Capability> capabilities = EnumSet.of(Capability.FILE_TRANSCRIPTION, Capability.TRANSLATION,
                Capability.LANGUAGE_DETECTION, Capability.SEGMENT_TIMESTAMPS, Capability.WORD_TIMESTAMPS,
                Capability.INITIAL_PROMPT, Capability.STREAMING);
        if (kind == Api.WHISPER_SERVER) {
            capabilities.add(Capability.BEAM_SEARCH);
        }
        this.info = new ProviderInfo(PROVIDER, model, capabilities, Map.of("baseUrl", service, "api",
                kind.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        this.telemetry = ProviderTelemetry.of(info);
        Duration maxDelay = config.retry().maxDelay();
        // behind SmallRye Stork each attempt goes to the instance the load balancer picks: one that cannot be reached,
        // or fails during the request, is worth a retry, which goes elsewhere; a whisper-server this provider runs
        // refuses connections while it restarts, and the retry waits for it (a request it was working on fails)
        boolean balanced = service.startsWith(STORK);
        boolean supervised = supervisor != null;
        this.guard = TypedGuard.create(new TypeLiteral<Uni<VerboseTranscription>>() {
        })
                .withDescription(description)
                .withRetry()
                .maxRetries(config.retry().maxRetries())
                .delay(config.retry().delay().toMillis(), ChronoUnit.MILLIS)
                // bounded by the retries and their delays; the default would cut a long wait short
                .maxDuration(0, ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .whenException(failure -> RetryAfterBackoff.retryable(failure, maxDelay)
                        || (failure instanceof ProviderUnavailableException unavailable && unavailable.retryable()
                                && (balanced || (supervised && refused(unavailable)))))
                .withCustomBackoff().strategy(() -> new RetryAfterBackoff(maxDelay)).done()
                .done()
                .build();
    }

    /**
     * Creates the provider; with {@code server.binary} set, starts its whisper-server and waits until it is healthy.
     *
     * @param name the configuration name, {@code null} for the unnamed remote provider
     * @param tls the TLS registry, where {@code tls-configuration-name} is looked up
     * @throws ConfigurationException when the configuration has neither {@code base-url} nor {@code server.binary},
     *         a negative {@code retry.max-retries}, a {@code tls-configuration-name} the registry does not have, or a
     *         {@code proxy-address} that is not {@code host:port}
     */
    public static RemoteAsrProvider create(String name, RemoteProviderConfig config, TlsConfigurationRegistry tls) {
        String prefix = name == null ? "quarkus.asr.remote." : "quarkus.asr.remote.\"" + name + "\".";
        if (config.retry().maxRetries() < 0) {
            // the guard would take it for "retry forever"
            throw new ConfigurationException(prefix + "retry.max-retries must not be negative, got "
                    + config.retry().maxRetries(), Set.of(prefix + "retry.max-retries"));
        }
        if (config.server().binary().isPresent()) {
            WhisperServerSupervisor supervisor = WhisperServerSupervisor.start(name == null ? PROVIDER : name,
                    config.server(), prefix);
            try {
                // the child listens on loopback, in plain HTTP: neither a proxy nor TLS is in the way
                return create(name, prefix, config, supervisor.baseUrl(), Api.WHISPER_SERVER, supervisor,
                        Transport.DIRECT);
            } catch (RuntimeException e) {
                supervisor.close();
                throw e;
            }
        }
        Transport transport = Transport.of(prefix, config, tls);
        URI baseUrl = config.baseUrl().orElseThrow(() -> new ConfigurationException(prefix + "base-url is not set: "
                + "it is the base URL of the OpenAI-compatible transcription API, such as http://localhost:8080/v1 "
                + "(or set " + prefix + "server.binary to run a server of its own)", Set.of(prefix + "base-url")));
        return create(name, prefix, config, baseUrl, config.api(), null, transport);
    }

    private static RemoteAsrProvider create(String name, String prefix, RemoteProviderConfig config, URI baseUrl,
            Api kind, WhisperServerSupervisor supervisor, Transport transport) {
        String service = baseUrl.toString();
        QuarkusRestClientBuilder client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUrl)
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .register(new ServiceErrors(service, prefix));
        transport.applyTo(client);
        if (kind == Api.WHISPER_SERVER) {
            // whisper-server closes a connection after 5 s idle: a pooled one could be picked just as it closes
            client.property(KEEP_ALIVE_ENABLED, false);
        }
        Object api = kind == Api.WHISPER_SERVER ? client.build(WhisperServerApi.class)
                : client.build(OpenAiAudioApi.class);
        return new RemoteAsrProvider(api, kind, service, prefix, config,
                "asr-remote" + (name == null ? "" : "-" + name), supervisor);
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    public Uni<Transcript> transcribe(AudioInput audio, TranscriptionOptions options) {
        return telemetry.transcription(audio, options, Uni.createFrom().deferred(() -> {
            Request request = Request.of(audio, options, kind);
            Cancellation cancellation = new Cancellation();
            return guard.get(() -> cancellation.attempt(started().chain(() -> send(request))))
                    .onCancellation().invoke(cancellation::cancel)
                    .map(answer -> answer.toTranscript(options.wordTimestamps().orElse(false)));
        }));
    }

    /**
     * Live transcription through the SPI's online processor: every {@link StreamingOptions#minChunk()} of new audio,
     * the whole window (up to {@link StreamingOptions#maxBuffer()}) is sent again as one request with word timestamps,
     * so a stream costs about one request per step and {@code buffer / minChunk} seconds of remote transcription per
     * second of audio. The service must return words ({@code timestamp_granularities[]=word}); one that does not fails
     * the stream with {@link UnsupportedFeatureException}. Cancelling the subscription cancels the request in flight.
     * With {@link StreamingOptions#vad()}, the Silero VAD of {@code vad.model-path} gates the audio in this JVM: only
     * speech is sent; without that model the stream fails with {@link UnsupportedFeatureException}.
     */
    @Override
    public Multi<TranscriptEvent> transcribe(Multi<AudioChunk> audio, StreamingOptions options) {
        // requests are sent without blocking: subscribing to one on the default executor is cheap
        return telemetry.liveSession(audio, input -> LiveTranscriber.transcribe(input,
                WindowTranscriber.of(this, options.decoding()), options, Infrastructure.getDefaultExecutor(), vad,
                vadParameters));
    }

    /**
     * Whether the service is ready: whisper-server's {@code /health} answers {@code 200} once its model is loaded.
     * Fails with the service's error (an {@code OverloadedException} while the model loads) or the connection's;
     * an OpenAI-compatible API has no health endpoint, and is taken as ready.
     */
    public Uni<Void> checkReady() {
        if (kind != Api.WHISPER_SERVER) {
            return Uni.createFrom().voidItem();
        }
        return ((WhisperServerApi) api).health()
                .onFailure(failure -> !(failure instanceof AsrException)).transform(this::unreachable)
                .replaceWithVoid();
    }

    /**
     * Closes the HTTP client and its connections, stops the whisper-server this provider runs, and frees its VAD.
     */
    @Override
    public void close() {
        try {
            ((Closeable) api).close();
        } catch (IOException e) {
            // nothing is left to release
        } finally {
            if (supervisor != null) {
                supervisor.close();
            }
            if (vad != null) {
                vad.close();
            }
        }
    }

    /** The process id of the whisper-server this provider runs, empty when it runs none or it is restarting. */
    public OptionalLong serverPid() {
        long pid = supervisor == null ? -1 : supervisor.pid();
        return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    /**
     * Completes once the whisper-server this provider runs is healthy: at once, but while a dead one is restarted,
     * when the new one is; fails after {@code server.start-timeout}.
     */
    private Uni<Void> started() {
        if (supervisor == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(supervisor::ready)
                .ifNoItem().after(supervisor.startTimeout()).failWith(() -> new ProviderUnavailableException(
                        "The whisper-server " + service + " is restarting and was not healthy again within "
                                + supervisor.startTimeout(), null, true));
    }

    /** One exchange with the service; failures other than the service's error answers become typed here. */
    private Uni<VerboseTranscription> send(Request request) {
        Uni<VerboseTranscription> exchange = switch (kind) {
            case OPENAI -> request.translate()
                    ? ((OpenAiAudioApi) api).translations(authorization, request.openAiForm(model))
                    : ((OpenAiAudioApi) api).transcriptions(authorization, request.openAiForm(model));
            case WHISPER_SERVER -> ((WhisperServerApi) api).inference(authorization, request.whisperServerForm());
        };
        return exchange.onFailure(failure -> !(failure instanceof AsrException)).transform(this::unreachable);
    }

    /** Whether the connection was refused: the request never reached the service. */
    private static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private AsrException unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
                return new TranscriptionTimeoutException("The transcription service " + service
                        + " did not answer within " + readTimeout + " (" + readTimeoutProperty + ")", failure);
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return new ProviderUnavailableException("The transcription service " + service
                        + " cannot be reached: " + failure, failure, true);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return new ProviderUnavailableException("The TLS handshake with the transcription service " + service
                        + " failed (" + cause.getMessage() + "): trust its certificate through the TLS configuration "
                        + "that " + tlsConfigurationProperty + " names", failure);
            }
        }
        if (supervisor != null) {
            // the child died under the request: it is being restarted, and the request can be sent again
            return new ProviderUnavailableException("The whisper-server " + service + " this application runs "
                    + "failed during the request (it is restarted): " + failure, failure, true);
        }
        return new ProviderUnavailableException("The exchange with the transcription service " + service
                + " failed: " + failure, failure);
    }

    /**
     * How the client reaches the service: the TLS configuration it uses, and the HTTP proxy it goes through.
     *
     * @param tls {@code null} for the REST client's defaults
     * @param proxyHost {@code null} for no proxy
     */
    private record Transport(TlsConfiguration tls, String proxyHost, int proxyPort, Optional<String> proxyUser,
            Optional<String> proxyPassword, Optional<String> nonProxyHosts) {

        static final Transport DIRECT = new Transport(null, null, -1, Optional.empty(), Optional.empty(),
                Optional.empty());

        /** @throws ConfigurationException naming every setting that is wrong, not only the first */
        static Transport of(String prefix, RemoteProviderConfig config, TlsConfigurationRegistry registry) {
            List<String> problems = new ArrayList<>();
            Set<String> properties = new LinkedHashSet<>();
            TlsConfiguration tls = null;
            if (config.tlsConfigurationName().isPresent()) {
                String tlsName = config.tlsConfigurationName().get();
                tls = registry.get(tlsName).orElse(null);
                if (tls == null) {
                    problems.add(prefix + "tls-configuration-name is " + tlsName + ", but the TLS registry has no "
                            + "configuration of that name: configure quarkus.tls.\"" + tlsName + "\".* (for example "
                            + "its trust-store)");
                    properties.add(prefix + "tls-configuration-name");
                }
            }
            String proxyHost = null;
            int proxyPort = -1;
            if (config.proxyAddress().isPresent()) {
                String address = config.proxyAddress().get().strip();
                int colon = address.lastIndexOf(':');
                try {
                    proxyPort = colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : -1;
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (proxyPort < 1 || proxyPort > 65_535) {
                    problems.add(prefix + "proxy-address must be host:port, got " + address);
                    properties.add(prefix + "proxy-address");
                } else {
                    proxyHost = address.substring(0, colon);
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(String.join("; ", problems), properties);
            }
            return new Transport(tls, proxyHost, proxyPort, config.proxyUser(), config.proxyPassword(),
                    config.nonProxyHosts());
        }

        void applyTo(QuarkusRestClientBuilder client) {
            if (tls != null) {
                client.tlsConfiguration(tls);
            }
            if (proxyHost != null) {
                client.proxyAddress(proxyHost, proxyPort);
                proxyUser.ifPresent(client::proxyUser);
                proxyPassword.ifPresent(client::proxyPassword);
                nonProxyHosts.ifPresent(client::nonProxyHosts);
            }
        }
    }

    /** A request checked before anything is sent: the options the API has fields for, and the audio to upload. */
    private record Request(AudioInput audio, TranscriptionOptions options) {

        static Request of(AudioInput audio, TranscriptionOptions options, Api kind) {
            if (kind == Api.OPENAI && options.beamSize().orElse(1) > 1) {
                throw new UnsupportedFeatureException("The remote provider cannot ask for beam search: OpenAI's "
                        + "transcription API has no beam size");
            }
            if (options.vad().orElse(false)) {
                throw new UnsupportedFeatureException("The remote provider has no voice activity detection: the "
                        + "service decides what it transcribes");
            }
            switch (audio) {
                case AudioInput.File file -> {
                    try {
                        if (Files.size(file.path()) == 0) {
                            throw new UnsupportedAudioException(file.name() + ": no samples (empty file)");
                        }
                    } catch (NoSuchFileException e) {
                        throw new UnsupportedAudioException("audio file not found: " + file.path(), e);
                    } catch (IOException e) {
                        throw new UnsupportedAudioException("cannot read audio file " + file.path() + ": " + e, e);
                    }
                }
                case AudioInput.Encoded encoded -> {
                    if (encoded.bytes().length == 0) {
                        throw new UnsupportedAudioException(encoded.name() + ": no samples (empty input)");
                    }
                }
                case AudioInput.Samples samples -> {
                    if (samples.samples().length == 0) {
                        throw new UnsupportedAudioException(samples.name() + ": no samples");
                    }
                }
            }
            return new Request(audio, options);
        }

        boolean translate() {
            return options.translate().orElse(false);
        }

        /** A new form for each attempt: an upload is consumed as it is sent. */
        ClientMultipartForm openAiForm(String model) {
            ClientMultipartForm form = upload();
            form.attribute("model", model, null);
            // OpenAI's translation endpoint has no language field
            options.language().filter(language -> !translate() && !language.equals(TranscriptionOptions.AUTO_LANGUAGE))
                    .ifPresent(language -> form.attribute("language", language, null));
            options.initialPrompt().ifPresent(prompt -> form.attribute("prompt", prompt, null));
            options.temperature().ifPresent(t -> form.attribute("temperature", Float.toString(t), null));
            form.attribute("response_format", "verbose_json", null);
            form.attribute("timestamp_granularities[]", "segment", null);
            if (options.wordTimestamps().orElse(false)) {
                form.attribute("timestamp_granularities[]", "word", null);
            }
            return form;
        }

        /**
         * whisper-server's fields: every option has one. Unset options keep the server's defaults (its command line);
         * {@code language} is sent as {@code auto} too, since the server's own default is {@code en}.
         */
        ClientMultipartForm whisperServerForm() {
            ClientMultipartForm form = upload();
            form.attribute("response_format", "verbose_json", null);
            options.language().ifPresent(language -> form.attribute("language", language, null));
            options.translate().ifPresent(translate -> form.attribute("translate", translate.toString(), null));
            options.initialPrompt().ifPresent(prompt -> form.attribute("prompt", prompt, null));
            options.temperature().ifPresent(t -> form.attribute("temperature", Float.toString(t), null));
            options.beamSize().ifPresent(beams -> form.attribute("beam_size", Integer.toString(beams), null));
            options.bestOf().ifPresent(best -> form.attribute("best_of", Integer.toString(best), null));
            options.noSpeechThreshold().ifPresent(t -> form.attribute("no_speech_thold", Float.toString(t), null));
            options.timestamps().ifPresent(on -> form.attribute("no_timestamps", Boolean.toString(!on), null));
            return form;
        }

        private ClientMultipartForm upload() {
            ClientMultipartForm form = ClientMultipartForm.create();
            switch (audio) {
                case AudioInput.File file -> form.binaryFileUpload("file", file.name(), file.path().toString(),
                        OCTET_STREAM);
                case AudioInput.Encoded encoded -> form.binaryFileUpload("file", encoded.name(),
                        Buffer.buffer(encoded.bytes()), OCTET_STREAM);
                case AudioInput.Samples samples -> form.binaryFileUpload("file", "audio.wav",
                        Buffer.buffer(WavEncoder.encode(new PcmAudio(samples.samples(), samples.sampleRate()))),
                        "audio/wav");
            }
            return form;
        }
    }
}
