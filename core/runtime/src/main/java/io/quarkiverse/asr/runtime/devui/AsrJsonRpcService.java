package io.quarkiverse.asr.runtime.devui;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.runtime.AsrHttpStatus;
import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.runtime.InvalidParameterException;
import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.Uni;

/**
 * The Dev UI's JSON-RPC methods: what the application's providers are and how they are, the providers' model
 * catalogues, and transcription of uploaded audio. Registered in dev mode only.
 * <p>
 * Methods that can fail answer the failure in the result's {@code error}, typed as the HTTP edges type it
 * ({@link AsrHttpStatus#code()}), so that the page shows a message and never a stack trace.
 */
@ApplicationScoped
public class AsrJsonRpcService {

    private static final Logger LOG = Logger.getLogger(AsrJsonRpcService.class);

    /** How long the page waits for a provider's health: a remote service that does not answer is down. */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(10);

    /**
     * One provider bean.
     *
     * @param name its {@code @AsrProviderName}: the configuration name, or the provider id for an unnamed one
     * @param isDefault whether it is the {@code @Default} {@code AsrProvider}
     * @param details what the provider tells of itself (for whisper: the library version, variant, backend, device and
     *        system info)
     */
    public record ProviderView(String name, boolean isDefault, String provider, String model, List<String> capabilities,
            Map<String, String> details) {
    }

    /**
     * The health of one provider bean.
     *
     * @param status {@code UP}, {@code DOWN}, or {@code UNKNOWN} for a provider whose extension reports no health
     * @param data what the extension's health check reports of it
     */
    public record HealthView(String name, String provider, String status, Map<String, String> data) {
    }

    /** A failure, typed as the HTTP edges type it ({@code unsupported_audio}, {@code overloaded}...). */
    public record ErrorView(String type, String message) {
    }

    /**
     * The state of an upload.
     *
     * @param received the bytes that arrived so far
     * @param maxBytes the largest file the page may upload
     */
    public record UploadView(String uploadId, long received, long maxBytes, ErrorView error) {
    }

    /** A segment, its times in seconds from the start of the audio. */
    public record SegmentView(double start, double end, String text) {
    }

    /** A transcript, or the error that stopped it. */
    public record TranscriptionView(String provider, String text, String language, double duration,
            List<SegmentView> segments, ErrorView error) {
    }

    private record Named(String name, boolean isDefault, AsrProvider provider) {
    }

    @Inject
    @Any
    Instance<AsrProvider> providers;

    @Inject
    Instance<AsrDevUiContributor> contributors;

    private final DevUiUploads uploads = new DevUiUploads();

    /** The application's providers, the default first, then by name. */
    public List<ProviderView> getProviders() {
        return named().stream().map(named -> {
            ProviderInfo info = named.provider().info();
            return new ProviderView(named.name(), named.isDefault(), info.name(), info.model(),
                    info.capabilities().stream().map(Capability::name).sorted().toList(), info.details());
        }).toList();
    }

    /**
     * The health of the application's providers, in the order of {@link #getProviders()}, as their extensions' health
     * checks report it.
     */
    public Uni<List<HealthView>> getHealth() {
        List<Uni<HealthView>> checks = named().stream().map(this::health).toList();
        return checks.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(checks).andFailFast();
    }

    private Uni<HealthView> health(Named named) {
        String provider = named.provider().info().name();
        return contributors.stream()
                .map(contributor -> contributor.health(named.provider()))
                .flatMap(Optional::stream)
                .findFirst()
                .map(check -> check.ifNoItem().after(HEALTH_TIMEOUT)
                        .failWith(() -> new TimeoutException("No answer within " + HEALTH_TIMEOUT.toSeconds() + " s"))
                        .map(health -> new HealthView(named.name(), provider, health.up() ? "UP" : "DOWN",
                                health.data()))
                        .onFailure().recoverWithItem(failure -> new HealthView(named.name(), provider, "DOWN",
                                Map.of("error", String.valueOf(failure.getMessage())))))
                .orElseGet(() -> Uni.createFrom().item(new HealthView(named.name(), provider, "UNKNOWN", Map.of())));
    }

    /** The models of the providers' catalogues, with whether the local cache has each. */
    public List<AsrDevUiContributor.CatalogueModel> getModels() {
        return contributors.stream().flatMap(contributor -> contributor.models().stream()).toList();
    }

    /**
     * Starts an upload of a file of {@code size} bytes, which the page then sends with {@link #appendUpload}: refused
     * when it is larger than the Dev UI takes.
     */
    public UploadView startUpload(String name, long size) {
        try {
            return new UploadView(uploads.start(name, size), 0, DevUiUploads.MAX_BYTES, null);
        } catch (RuntimeException e) {
            return new UploadView(null, 0, DevUiUploads.MAX_BYTES, error(e));
        }
    }

    /** Appends a piece of at most 32 KiB, base64-encoded, to upload {@code uploadId}. */
    public UploadView appendUpload(String uploadId, String data) {
        try {
            byte[] piece;
            try {
                piece = Base64.getDecoder().decode(data == null ? "" : data);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("data", "The piece is not base64: " + e.getMessage());
            }
            return new UploadView(uploadId, uploads.append(uploadId, piece), DevUiUploads.MAX_BYTES, null);
        } catch (RuntimeException e) {
            return new UploadView(uploadId, 0, DevUiUploads.MAX_BYTES, error(e));
        }
    }

    /**
     * Transcribes upload {@code uploadId}, in any format the application's audio decoders read, with timestamps.
     *
     * @param provider the provider's name, or blank for the default provider
     * @param language an ISO 639-1 code, {@code auto}, or blank for the provider's default
     */
    public Uni<TranscriptionView> transcribe(String uploadId, String provider, String language) {
        String name = provider == null || provider.isBlank() ? null : provider.strip();
        try {
            DevUiUploads.Upload upload = uploads.take(uploadId);
            Named named = named().stream()
                    .filter(candidate -> name == null ? candidate.isDefault() : name.equals(candidate.name()))
                    .findFirst()
                    .orElseThrow(() -> new InvalidParameterException("provider", name == null
                            ? "The application has no default provider: choose one"
                            : "No provider named '" + name + "'"));
            TranscriptionOptions options;
            try {
                options = TranscriptionOptions.builder().language(language).timestamps(true).build();
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("language", e.getMessage());
            }
            return named.provider().transcribe(AudioInput.of(upload.bytes, upload.name), options)
                    .map(transcript -> view(named.name(), transcript))
                    .onFailure().recoverWithItem(failure -> failed(named.name(), failure));
        } catch (RuntimeException e) {
            return Uni.createFrom().item(failed(name, e));
        }
    }

    private static TranscriptionView view(String provider, Transcript transcript) {
        List<SegmentView> segments = transcript.segments().stream()
                .map(segment -> new SegmentView(seconds(segment.start()), seconds(segment.end()), segment.text()))
                .toList();
        return new TranscriptionView(provider, transcript.text(), transcript.language(),
                seconds(transcript.duration()), segments, null);
    }

    private static TranscriptionView failed(String provider, Throwable failure) {
        return new TranscriptionView(provider, null, null, 0, List.of(), error(failure));
    }

    /** The typed message of a failure; one that is no request's fault is logged with its stack trace. */
    private static ErrorView error(Throwable failure) {
        if (failure instanceof AsrException asr) {
            return new ErrorView(AsrHttpStatus.of(asr).code(), asr.getMessage());
        }
        if (failure instanceof InvalidParameterException invalid) {
            return new ErrorView(AsrHttpStatus.INVALID_REQUEST.code(), invalid.getMessage());
        }
        LOG.error("Dev UI transcription failed", failure);
        return new ErrorView("asr_error", failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** The providers with their names, the default first. */
    private List<Named> named() {
        List<Named> named = new ArrayList<>();
        for (Instance.Handle<AsrProvider> handle : providers.handles()) {
            String name = null;
            boolean isDefault = false;
            for (Annotation qualifier : handle.getBean().getQualifiers()) {
                if (qualifier instanceof AsrProviderName providerName) {
                    name = providerName.value();
                }
                isDefault |= qualifier.annotationType() == Default.class;
            }
            named.add(new Named(name, isDefault, handle.get()));
        }
        named.sort(Comparator.comparing((Named n) -> !n.isDefault())
                .thenComparing(Named::name, Comparator.nullsFirst(Comparator.naturalOrder())));
        return named;
    }
}
