package io.quarkiverse.asr.whisper.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.whisper.natives.ComputeDevice;
import io.quarkiverse.asr.whisper.natives.FullCallbacks;
import io.quarkiverse.asr.whisper.natives.FullParams;
import io.quarkiverse.asr.whisper.natives.FullResult;
import io.quarkiverse.asr.whisper.natives.SegmentData;
import io.quarkiverse.asr.whisper.natives.WhisperAbortedException;
import io.quarkiverse.asr.whisper.natives.WhisperContext;
import io.quarkiverse.asr.whisper.natives.WhisperLibrary;
import io.quarkiverse.asr.whisper.natives.WhisperLibraryException;
import io.quarkiverse.asr.whisper.natives.WhisperModelException;
import io.quarkiverse.asr.whisper.natives.WhisperModelFile;
import io.quarkiverse.asr.whisper.natives.WhisperNativeException;
import io.quarkiverse.asr.whisper.natives.WhisperState;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The whisper.cpp provider: one model in memory, shared by a fixed set of worker threads that each hold their own
 * decoding state. Work never runs on the caller's thread, so event-loop callers are never blocked.
 */
public final class WhisperAsrProvider implements AsrProvider, AutoCloseable {

    /** The provider id, in {@code quarkus.asr.provider} and {@link ProviderInfo#name()}. */
    public static final String PROVIDER = "whisper";

    /** whisper models take 16 kHz mono audio. */
    public static final int SAMPLE_RATE = 16_000;

    private static final Logger LOG = Logger.getLogger(WhisperAsrProvider.class);

    private final WhisperModelFile.Header model;
    private final WhisperSettings settings;
    private final WhisperLibrary library;
    private final ComputeDevice device;
    private final ProviderInfo info;
    private final ThreadPoolExecutor workers;
    private final Semaphore admissions;
    private final BlockingQueue<WhisperState> idleStates;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger active = new AtomicInteger();
    private final Object contextLock = new Object();
    private volatile WhisperContext context;

    private WhisperAsrProvider(WhisperModelFile.Header model, WhisperSettings settings, WhisperLibrary library,
            ComputeDevice device) {
        this.model = model;
        this.settings = settings;
        this.library = library;
        this.device = device;
        this.info = describe(model, library, device, settings.flashAttention());
        this.idleStates = new ArrayBlockingQueue<>(settings.maxConcurrent());
        this.admissions = new Semaphore(settings.maxConcurrent() + settings.maxQueued());
        AtomicInteger threadNumber = new AtomicInteger();
        // unbounded, because admissions bound the work in flight: a worker finishing does not race a new request
        this.workers = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "asr-whisper-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Loads the native library, chooses the device the settings ask for and, when
     * {@link WhisperSettings#loadOnStartup()} is set, loads the model.
     *
     * @throws ProviderUnavailableException when the native library cannot be loaded, or lacks the backend or GPU asked
     *         for
     * @throws ModelException when the model cannot be loaded
     */
    public static WhisperAsrProvider create(Path modelFile, WhisperSettings settings) {
        WhisperLibrary library;
        WhisperModelFile.Header model;
        try {
            model = WhisperModelFile.validate(modelFile);
            library = settings.libraryPath().isPresent()
                    ? WhisperLibrary.load(settings.libraryPath().get())
                    : settings.nativeCacheDir().map(WhisperLibrary::bundled).orElseGet(WhisperLibrary::bundled);
        } catch (WhisperNativeException e) {
            throw translate(e);
        }
        ComputeDevice device = settings.backend().select(library, settings.gpuDevice());
        WhisperAsrProvider provider = new WhisperAsrProvider(model, settings, library, device);
        if (settings.loadOnStartup()) {
            provider.context();
        }
        return provider;
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    /** Whether the model is in memory. */
    public boolean isModelLoaded() {
        return context != null;
    }

    /** Transcriptions running now. */
    public int activeTranscriptions() {
        return active.get();
    }

    @Override
    public Uni<Transcript> transcribe(AudioInput audio, TranscriptionOptions options) {
        TranscriptionOptions effective = merge(options, settings.decoding());
        if (cannotTranslate(effective)) {
            return Uni.createFrom().failure(translationUnsupported());
        }
        Uni<Transcript> work = Uni.createFrom().emitter(emitter -> dispatch(cancelled -> {
            Transcript transcript = run(audio.decode(SAMPLE_RATE), effective, abortOn(cancelled, null));
            return () -> emitter.complete(transcript);
        }, emitter::fail, emitter::onTermination));
        return settings.timeout()
                .map(limit -> work.ifNoItem().after(limit).failWith(() -> timedOut(audio, limit)))
                .orElse(work);
    }

    /**
     * Segments are emitted as whisper.cpp finishes them, while it goes on decoding; cancelling the subscription stops
     * the decoder. With {@code quarkus.asr.whisper.timeout} set, the stream fails when no segment arrives for that
     * long.
     */
    @Override
    public Multi<Segment> transcribeSegments(AudioInput audio, TranscriptionOptions options) {
        TranscriptionOptions effective = merge(options, settings.decoding());
        if (cannotTranslate(effective)) {
            return Multi.createFrom().failure(translationUnsupported());
        }
        boolean words = effective.wordTimestamps().orElse(false);
        Multi<Segment> work = Multi.createFrom().emitter(emitter -> dispatch(cancelled -> {
            PcmAudio pcm = audio.decode(SAMPLE_RATE);
            run(pcm, effective, abortOn(cancelled, s -> emitter.emit(WhisperResults.toSegment(s, words,
                    pcm.duration()))));
            return emitter::complete;
        }, emitter::fail, emitter::onTermination));
        return settings.timeout()
                .map(limit -> work.ifNoItem().after(limit).failWith(() -> timedOut(audio, limit)))
                .orElse(work);
    }

    @Override
    public Multi<TranscriptEvent> transcribe(Multi<AudioChunk> audio, StreamingOptions options) {
        return Multi.createFrom().failure(
                new UnsupportedFeatureException("The whisper provider does not support streaming transcription yet"));
    }

    /**
     * Runs {@code job} on a worker if a slot or queue place is free, else fails at once with
     * {@link OverloadedException}. The job sees a flag that turns true when the subscriber goes away, and returns
     * what tells the subscriber it is done: that runs once the slot is free again, so that a request sent in answer
     * is not refused for want of it.
     */
    private void dispatch(Function<AtomicBoolean, Runnable> job, Consumer<Throwable> fail,
            Consumer<Runnable> onTermination) {
        if (closed.get()) {
            fail.accept(new ProviderUnavailableException("The whisper provider is shut down"));
            return;
        }
        if (!admissions.tryAcquire()) {
            fail.accept(new OverloadedException("All " + settings.maxConcurrent() + " whisper workers are busy and "
                    + settings.maxQueued() + " requests are waiting", Duration.ofSeconds(1)));
            return;
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        onTermination.accept(() -> cancelled.set(true));
        try {
            workers.execute(() -> {
                Runnable done;
                try {
                    if (cancelled.get()) {
                        done = null;
                    } else {
                        active.incrementAndGet();
                        try {
                            done = job.apply(cancelled);
                        } finally {
                            active.decrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    // a subscriber that went away (and so aborted the decoder) hears nothing; Mutiny would log the
                    // failure as an error nobody received
                    done = cancelled.get() ? null
                            : () -> fail.accept(t instanceof WhisperNativeException e ? translate(e) : t);
                } finally {
                    admissions.release();
                }
                if (done != null) {
                    done.run();
                }
            });
        } catch (RejectedExecutionException e) {
            admissions.release();
            fail.accept(new ProviderUnavailableException("The whisper provider is shut down"));
        }
    }

    private FullCallbacks abortOn(AtomicBoolean cancelled, Consumer<SegmentData> segments) {
        return new FullCallbacks() {
            @Override
            public boolean shouldAbort() {
                return cancelled.get() || closed.get();
            }

            @Override
            public void onNewSegment(SegmentData segment) {
                if (segments != null) {
                    segments.accept(segment);
                }
            }
        };
    }

    /** whisper.cpp would transcribe instead: English-only models have no translation task. */
    private boolean cannotTranslate(TranscriptionOptions options) {
        return options.translate().orElse(false) && !info.supports(Capability.TRANSLATION);
    }

    private UnsupportedFeatureException translationUnsupported() {
        return new UnsupportedFeatureException("The English-only model " + info.model() + " cannot translate");
    }

    private static CancelledException timedOut(AudioInput audio, Duration limit) {
        return new CancelledException("Transcription of " + audio.name() + " took longer than " + limit);
    }

    private Transcript run(PcmAudio pcm, TranscriptionOptions options, FullCallbacks callbacks) {
        WhisperState state = acquireState();
        try {
            FullResult result = state.full(pcm.samples(), WhisperParams.of(options), callbacks);
            boolean words = options.wordTimestamps().orElse(false);
            List<Segment> segments = new ArrayList<>(result.segments().size());
            result.segments().forEach(s -> segments.add(WhisperResults.toSegment(s, words, pcm.duration())));
            return Transcript.of(result.language(), pcm.duration(), segments);
        } finally {
            releaseState(state);
        }
    }

    private WhisperState acquireState() {
        WhisperState state = idleStates.poll();
        return state != null ? state : context().newState();
    }

    private void releaseState(WhisperState state) {
        // A worker owns at most one state and there are maxConcurrent workers, so the queue never overflows.
        if (closed.get() || !idleStates.offer(state)) {
            state.close();
        }
    }

    private WhisperContext context() {
        WhisperContext current = context;
        if (current == null) {
            synchronized (contextLock) {
                current = context;
                if (current == null) {
                    if (closed.get()) {
                        throw new ProviderUnavailableException("The whisper provider is shut down");
                    }
                    long start = System.nanoTime();
                    try {
                        // the header proves the check create() made: the file is not walked a second time
                        current = library.loadModel(model, device.contextParams(settings.flashAttention()));
                    } catch (WhisperNativeException e) {
                        throw translate(e);
                    }
                    LOG.infof("Loaded whisper model %s (%s) in %d ms with whisper.cpp %s [%s] on %s", model.file(),
                            current.modelType(), (System.nanoTime() - start) / 1_000_000, library.version(),
                            library.variant(), device.describe());
                    context = current;
                }
            }
        }
        return current;
    }

    /** Stops accepting work, aborts transcriptions in progress and frees the model and every state. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("whisper workers did not stop within 30 s; native memory is left to the process exit");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        WhisperState state;
        while ((state = idleStates.poll()) != null) {
            state.close();
        }
        synchronized (contextLock) {
            if (context != null) {
                context.close();
                context = null;
            }
        }
    }

    private static TranscriptionOptions merge(TranscriptionOptions request, TranscriptionOptions defaults) {
        TranscriptionOptions.Builder merged = defaults.toBuilder();
        request.language().ifPresent(merged::language);
        request.translate().ifPresent(merged::translate);
        request.initialPrompt().ifPresent(merged::initialPrompt);
        request.temperature().ifPresent(merged::temperature);
        request.beamSize().ifPresent(merged::beamSize);
        request.bestOf().ifPresent(merged::bestOf);
        request.timestamps().ifPresent(merged::timestamps);
        request.wordTimestamps().ifPresent(merged::wordTimestamps);
        request.threads().ifPresent(merged::threads);
        return merged.build();
    }

    private static ProviderInfo describe(WhisperModelFile.Header model, WhisperLibrary library, ComputeDevice device,
            boolean flashAttention) {
        Set<Capability> capabilities = EnumSet.of(Capability.FILE_TRANSCRIPTION, Capability.SEGMENT_TIMESTAMPS,
                Capability.WORD_TIMESTAMPS, Capability.INITIAL_PROMPT, Capability.BEAM_SEARCH);
        if (model.multilingual()) {
            capabilities.add(Capability.TRANSLATION);
            capabilities.add(Capability.LANGUAGE_DETECTION);
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("library", library.libraryFile().toString());
        details.put("libraryVersion", library.version());
        details.put("variant", library.variant());
        details.put("backend", device.backend());
        details.put("device", device.describe());
        details.put("flashAttention", Boolean.toString(flashAttention));
        details.put("systemInfo", library.systemInfo().strip());
        return new ProviderInfo(PROVIDER, model.file().getFileName().toString(), capabilities, details);
    }

    private static AsrException translate(WhisperNativeException e) {
        if (e instanceof WhisperModelException) {
            return new ModelException(e.getMessage(), e);
        }
        if (e instanceof WhisperAbortedException) {
            return new CancelledException("Transcription was cancelled", e);
        }
        if (e instanceof WhisperLibraryException) {
            return new ProviderUnavailableException(e.getMessage(), e);
        }
        return new AsrException(e.getMessage(), e);
    }
}
