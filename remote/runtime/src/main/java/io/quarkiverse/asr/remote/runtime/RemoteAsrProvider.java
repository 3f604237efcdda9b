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
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.util.TypeLiteral;

import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import io.quarkiverse.asr.remote.runtime.config.RemoteRuntimeConfig.RemoteProviderConfig;
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
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;

/**
 * Transcribes through an OpenAI-compatible service: {@code POST <base-url>/audio/transcriptions} (or
 * {@code /audio/translations}) with the recording as a multipart upload, asking for {@code verbose_json} with segment
 * (and, when asked, word) timestamps. Requests the service refuses as too many ({@code 429}) or while unavailable
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

    private final OpenAiAudioApi api;
    private final String authorization;
    private final String model;
    private final String service;
    private final String readTimeoutProperty;
    private final Duration readTimeout;
    private final ProviderInfo info;
    private final TypedGuard<Uni<VerboseTranscription>> guard;
    private final ProviderTelemetry telemetry;

    private RemoteAsrProvider(OpenAiAudioApi api, String service, String prefix, RemoteProviderConfig config,
            String description) {
        this.api = api;
        this.service = service;
        this.readTimeoutProperty = prefix + "read-timeout";
        this.authorization = config.apiKey().map(key -> "Bearer " + key).orElse(null);
        this.model = config.model();
        this.readTimeout = config.readTimeout();
        this.info = new ProviderInfo(PROVIDER, model, EnumSet.of(Capability.FILE_TRANSCRIPTION, Capability.TRANSLATION,
                Capability.LANGUAGE_DETECTION, Capability.SEGMENT_TIMESTAMPS, Capability.WORD_TIMESTAMPS,
                Capability.INITIAL_PROMPT, Capability.STREAMING), Map.of("baseUrl", service));
        this.telemetry = ProviderTelemetry.of(info);
        Duration maxDelay = config.retry().maxDelay();
        this.guard = TypedGuard.create(new TypeLiteral<Uni<VerboseTranscription>>() {
        })
                .withDescription(description)
                .withRetry()
                .maxRetries(config.retry().maxRetries())
                .delay(config.retry().delay().toMillis(), ChronoUnit.MILLIS)
                // bounded by the retries and their delays; the default would cut a long wait short
                .maxDuration(0, ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .whenException(failure -> RetryAfterBackoff.retryable(failure, maxDelay))
                .withCustomBackoff().strategy(() -> new RetryAfterBackoff(maxDelay)).done()
                .done()
                .build();
    }

    /**
     * @param name the configuration name, {@code null} for the unnamed remote provider
     * @throws ConfigurationException when the configuration has no {@code base-url}, or a negative
     *         {@code retry.max-retries}
     */
    public static RemoteAsrProvider create(String name, RemoteProviderConfig config) {
        String prefix = name == null ? "quarkus.asr.remote." : "quarkus.asr.remote.\"" + name + "\".";
        URI baseUrl = config.baseUrl().orElseThrow(() -> new ConfigurationException(prefix + "base-url is not set: "
                + "it is the base URL of the OpenAI-compatible transcription API, such as http://localhost:8080/v1",
                Set.of(prefix + "base-url")));
        if (config.retry().maxRetries() < 0) {
            // the guard would take it for "retry forever"
            throw new ConfigurationException(prefix + "retry.max-retries must not be negative, got "
                    + config.retry().maxRetries(), Set.of(prefix + "retry.max-retries"));
        }
        String service = baseUrl.toString();
        OpenAiAudioApi api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUrl)
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .register(new ServiceErrors(service, prefix))
                .build(OpenAiAudioApi.class);
        return new RemoteAsrProvider(api, service, prefix, config, "asr-remote" + (name == null ? "" : "-" + name));
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    public Uni<Transcript> transcribe(AudioInput audio, TranscriptionOptions options) {
        return telemetry.transcription(audio, options, Uni.createFrom().deferred(() -> {
            Request request = Request.of(audio, options);
            Cancellation cancellation = new Cancellation();
            return guard.get(() -> cancellation.attempt(send(request)))
                    .onCancellation().invoke(cancellation::cancel)
                    .map(VerboseTranscription::toTranscript);
        }));
    }

    /**
     * Live transcription through the SPI's online processor: every {@link StreamingOptions#minChunk()} of new audio,
     * the whole window (up to {@link StreamingOptions#maxBuffer()}) is sent again as one request with word timestamps,
     * so a stream costs about one request per step and {@code buffer / minChunk} seconds of remote transcription per
     * second of audio. The service must return words ({@code timestamp_granularities[]=word}); one that does not fails
     * the stream with {@link UnsupportedFeatureException}. Cancelling the subscription cancels the request in flight.
     */
    @Override
    public Multi<TranscriptEvent> transcribe(Multi<AudioChunk> audio, StreamingOptions options) {
        // requests are sent without blocking: subscribing to one on the default executor is cheap
        return telemetry.liveSession(audio, input -> LiveTranscriber.transcribe(input,
                WindowTranscriber.of(this, options.decoding()), options, Infrastructure.getDefaultExecutor()));
    }

    /** Closes the HTTP client and its connections. */
    @Override
    public void close() {
        try {
            ((Closeable) api).close();
        } catch (IOException e) {
            // nothing is left to release
        }
    }

    /** One exchange with the service; failures other than the service's error answers become typed here. */
    private Uni<VerboseTranscription> send(Request request) {
        ClientMultipartForm form = request.form(model);
        Uni<VerboseTranscription> exchange = request.translate()
                ? api.translations(authorization, form)
                : api.transcriptions(authorization, form);
        return exchange.onFailure(failure -> !(failure instanceof AsrException)).transform(this::unreachable);
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
        return new ProviderUnavailableException("The exchange with the transcription service " + service
                + " failed: " + failure, failure);
    }

    /** A request checked before anything is sent: the options the API has fields for, and the audio to upload. */
    private record Request(AudioInput audio, TranscriptionOptions options) {

        static Request of(AudioInput audio, TranscriptionOptions options) {
            if (options.beamSize().orElse(1) > 1) {
                throw new UnsupportedFeatureException("The remote provider cannot ask for beam search: OpenAI's "
                        + "transcription API has no beam size");
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
        ClientMultipartForm form(String model) {
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
    }
}
