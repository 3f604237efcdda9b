package io.quarkiverse.asr.whisper.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import org.jboss.logging.Logger;

import io.quarkiverse.asr.runtime.observability.ProviderTelemetry;
import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
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
import io.smallrye.mutiny.Uni;

/**
 * The whisper.cpp engine under a provider: one model in memory (loaded at creation or by the first decode), decoding
 * states, a fixed set of worker threads and admission control.
 * <p>
 * Callers take a {@link Lease}: admitted once, it holds one decoding state from its first decode until it is closed,
 * and runs its decodes on the workers, one at a time. A file transcription is a lease with one decode ({@link #once});
 * a live session keeps its lease and decodes again as audio arrives. At most {@code max-concurrent-requests} decodes
 * run at once and {@code max-concurrent-requests + max-queued-requests} leases are open; each open lease that has
 * decoded holds a state, and closed leases leave theirs for the next one, up to one per worker.
 */
public final class WhisperEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WhisperEngine.class);
    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();

    private final WhisperModelFile.Header model;
    private final WhisperLibrary library;
    private final ComputeDevice device;
    private final boolean flashAttention;
    private final int maxConcurrent;
    private final int maxQueued;
    private final ThreadPoolExecutor workers;
    private final Semaphore admissions;
    private final BlockingQueue<WhisperState> idleStates;
    private final Set<Lease> leases = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger states = new AtomicInteger();
    /** How long recent leases held their admission from their first decode, averaged; 0 until one has closed. */
    private final AtomicLong serviceNanos = new AtomicLong();
    private final Object contextLock = new Object();
    private volatile WhisperContext context;
    private volatile ProviderTelemetry telemetry = ProviderTelemetry.NONE;
    /** How long the model took to load, once it is loaded; guarded by {@link #contextLock}. */
    private Duration modelLoadTime;

    private WhisperEngine(WhisperModelFile.Header model, WhisperLibrary library, ComputeDevice device,
            WhisperSettings settings) {
        this.model = model;
        this.library = library;
        this.device = device;
        this.flashAttention = settings.flashAttention().orElseGet(library::flashAttentionByDefault);
        this.maxConcurrent = settings.maxConcurrent();
        this.maxQueued = settings.maxQueued();
        this.idleStates = new ArrayBlockingQueue<>(maxConcurrent);
        this.admissions = new Semaphore(maxConcurrent + maxQueued);
        AtomicInteger threadNumber = new AtomicInteger();
        // unbounded, because admissions bound the work in flight: a worker finishing does not race a new request
        this.workers = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "asr-whisper-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Loads the native library, checks the model file and chooses the device the settings ask for; the model is loaded
     * by {@link #load()} or the first decode.
     *
     * @throws ProviderUnavailableException when the native library cannot be loaded, or lacks the backend or GPU asked
     *         for
     * @throws ModelException when the model file is not a whisper model
     */
    static WhisperEngine start(Path modelFile, WhisperSettings settings) {
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
        return new WhisperEngine(model, library, device, settings);
    }

    /**
     * Loads the model now rather than at the first decode.
     *
     * @throws ModelException when the model cannot be loaded
     */
    void load() {
        context();
    }

    /** Reports the model load, the time decodes wait for a worker and the decodes waiting to {@code telemetry}. */
    void observe(ProviderTelemetry telemetry) {
        synchronized (contextLock) {
            this.telemetry = telemetry;
            if (context != null) {
                // loaded while the application started, before there was anyone to tell
                telemetry.modelLoaded(modelLoadTime);
            }
        }
        telemetry.queue(() -> workers.getQueue().size());
    }

    WhisperModelFile.Header model() {
        return model;
    }

    /** Whether the model computes with flash attention: as configured, or as the library does by default. */
    boolean flashAttention() {
        return flashAttention;
    }

    WhisperLibrary library() {
        return library;
    }

    ComputeDevice device() {
        return device;
    }

    /** Whether the model is in memory. */
    public boolean isModelLoaded() {
        return context != null;
    }

    /** Decodes running now. */
    public int activeDecodes() {
        return active.get();
    }

    /** Decoding states in memory, in open leases and kept for the next ones. */
    public int decodingStates() {
        return states.get();
    }

    /**
     * Admits a caller.
     *
     * @throws OverloadedException at once when {@code max-concurrent-requests + max-queued-requests} leases are open
     * @throws ProviderUnavailableException when the engine is shut down
     */
    public Lease lease() {
        if (closed.get()) {
            throw shutDown();
        }
        if (!admissions.tryAcquire()) {
            throw overloadedNow();
        }
        Lease lease = new Lease();
        leases.add(lease);
        return lease;
    }

    /** The refusal {@link #lease()} would answer now, or empty while it admits callers. */
    public Optional<OverloadedException> overloaded() {
        return admissions.availablePermits() > 0 ? Optional.empty() : Optional.of(overloadedNow());
    }

    private OverloadedException overloadedNow() {
        return new OverloadedException("All " + maxConcurrent + " whisper workers are busy and " + maxQueued
                + " requests are waiting", retryAfter());
    }

    /**
     * When the work admitted now should be done: every open lease served for the recent average time, by
     * {@code max-concurrent-requests} workers at once. Until a lease has closed, the longest any open lease has been
     * served stands for the average (at least one second).
     */
    Duration retryAfter() {
        long service = serviceNanos.get();
        if (service == 0) {
            long now = System.nanoTime();
            service = Math.max(TimeUnit.SECONDS.toNanos(1), leases.stream().mapToLong(l -> l.started)
                    .filter(started -> started != 0).map(started -> now - started).max().orElse(0));
        }
        return Duration.ofNanos(service * Math.max(1, leases.size()) / maxConcurrent);
    }

    /** Folds one lease's service time into the average, a quarter weight each, so that it follows the load. */
    private void recordService(long nanos) {
        serviceNanos.updateAndGet(average -> average == 0 ? nanos : average + (nanos - average) / 4);
    }

    /**
     * One decode in a lease of its own. The lease is closed before the result or failure is delivered, so that a
     * request sent in answer is not refused for want of it; when there is no room the {@code Uni} fails with
     * {@link OverloadedException}. Cancelling it stops whisper.cpp.
     */
    public <T> Uni<T> once(Decode<T> decode) {
        return Uni.createFrom().deferred(() -> {
            Lease lease = lease();
            return lease.run(decode).onTermination().invoke(lease::close);
        });
    }

    /** Work that decodes, run on a worker thread. */
    @FunctionalInterface
    public interface Decode<T> {

        /** @param decoder valid during this call only */
        T run(Decoder decoder);
    }

    /** Runs whisper.cpp on a lease's decoding state. */
    public interface Decoder {

        /**
         * {@code whisper_full} on 16 kHz mono samples, stopped when the caller cancels, the lease closes or the engine
         * shuts down.
         *
         * @param onSegment told each segment as whisper.cpp finishes it, or {@code null}
         */
        default FullResult full(float[] samples, FullParams params, Consumer<SegmentData> onSegment) {
            return full(samples, params, onSegment, null);
        }

        /**
         * {@link #full(float[], FullParams, Consumer)}, telling {@code onProgress} how far through the audio whisper.cpp
         * is, 0 to 100, at the start of each 30 s window.
         *
         * @param onProgress told the progress, or {@code null}
         */
        FullResult full(float[] samples, FullParams params, Consumer<SegmentData> onSegment, IntConsumer onProgress);

        /** Whether the caller went away or the lease or engine closed: work before {@link #full} should stop too. */
        boolean cancelled();
    }

    /**
     * An admission and, from its first decode on, a decoding state, both held until {@link #close()}. Decodes run on
     * the engine's workers one at a time.
     */
    public final class Lease implements AutoCloseable {

        private final Object lock = new Object();
        private volatile boolean closed;
        private boolean busy;
        private WhisperState state;
        /** When its first decode started, 0 before. */
        private volatile long started;

        private Lease() {
        }

        /**
         * Runs {@code decode} on a worker with this lease's state. Cancelling the {@code Uni} stops whisper.cpp and
         * delivers nothing more.
         *
         * @throws IllegalStateException (through the {@code Uni}) while another decode of this lease runs
         */
        public <T> Uni<T> run(Decode<T> decode) {
            return Uni.createFrom().emitter(emitter -> {
                AtomicBoolean cancelled = new AtomicBoolean();
                emitter.onTermination(() -> cancelled.set(true));
                synchronized (lock) {
                    if (closed) {
                        emitter.fail(new ProviderUnavailableException("The whisper lease is closed"));
                        return;
                    }
                    if (busy) {
                        emitter.fail(new IllegalStateException("A lease runs one decode at a time"));
                        return;
                    }
                    busy = true;
                }
                long submitted = System.nanoTime();
                try {
                    workers.execute(() -> work(decode, submitted, cancelled, emitter::complete, emitter::fail));
                } catch (RejectedExecutionException e) {
                    idle();
                    emitter.fail(shutDown());
                }
            });
        }

        private <T> void work(Decode<T> decode, long submitted, AtomicBoolean cancelled, Consumer<T> complete,
                Consumer<Throwable> fail) {
            Runnable done;
            try {
                if (cancelled.get()) {
                    done = null;
                } else if (closed || WhisperEngine.this.closed.get()) {
                    done = () -> fail.accept(shutDown());
                } else {
                    if (started == 0) {
                        started = System.nanoTime();
                    }
                    telemetry.waitedForWorker(Duration.ofNanos(System.nanoTime() - submitted));
                    active.incrementAndGet();
                    try {
                        T result = decode.run(new Decoder() {
                            @Override
                            public FullResult full(float[] samples, FullParams params,
                                    Consumer<SegmentData> onSegment, IntConsumer onProgress) {
                                return Lease.this.full(samples, params, onSegment, onProgress, cancelled);
                            }

                            @Override
                            public boolean cancelled() {
                                return stopped(cancelled);
                            }
                        });
                        done = () -> complete.accept(result);
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
                idle();
            }
            if (done != null) {
                done.run();
            }
        }

        private FullResult full(float[] samples, FullParams params, Consumer<SegmentData> onSegment,
                IntConsumer onProgress, AtomicBoolean cancelled) {
            if (state == null) {
                state = acquireState();
            }
            boolean debug = LOG.isDebugEnabled();
            long start = System.nanoTime();
            long startCpu = debug ? THREAD_CPU.getCurrentThreadCpuTime() : 0;
            FullResult result = state.full(samples, params, new FullCallbacks() {
                @Override
                public boolean shouldAbort() {
                    return stopped(cancelled);
                }

                @Override
                public void onNewSegment(SegmentData segment) {
                    if (onSegment != null) {
                        onSegment.accept(segment);
                    }
                }

                @Override
                public void onProgress(int percent) {
                    if (onProgress != null) {
                        onProgress.accept(percent);
                    }
                }
            });
            if (debug) {
                // the benchmarks compare these with the time and CPU a request takes, to find what the rest costs; the
                // CPU is this thread's only, which is all of it with threads=1
                LOG.debugf("whisper_full took %.1f ms, %.1f ms CPU on the calling thread, for %d ms of audio",
                        (System.nanoTime() - start) / 1e6, (THREAD_CPU.getCurrentThreadCpuTime() - startCpu) / 1e6,
                        samples.length * 1000L / WhisperAsrProvider.SAMPLE_RATE);
            }
            return result;
        }

        private boolean stopped(AtomicBoolean cancelled) {
            return cancelled.get() || closed || WhisperEngine.this.closed.get();
        }

        /** The decode is over: a lease closed meanwhile is freed now. */
        private void idle() {
            boolean free;
            synchronized (lock) {
                busy = false;
                free = closed;
            }
            if (free) {
                free();
            }
        }

        /**
         * Frees the state and the admission; a decode in progress is stopped first, and its caller hears
         * {@link CancelledException}.
         */
        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                if (busy) {
                    return; // the worker frees the lease when whisper.cpp has stopped
                }
            }
            free();
        }

        private void free() {
            if (started != 0) {
                recordService(System.nanoTime() - started);
            }
            leases.remove(this);
            if (state != null) {
                releaseState(state);
                state = null;
            }
            admissions.release();
        }
    }

    private static ProviderUnavailableException shutDown() {
        return new ProviderUnavailableException("The whisper provider is shut down");
    }

    private WhisperState acquireState() {
        WhisperState state = idleStates.poll();
        if (state == null) {
            state = context().newState();
            states.incrementAndGet();
        }
        return state;
    }

    private void releaseState(WhisperState state) {
        if (closed.get() || !idleStates.offer(state)) {
            closeState(state);
        } else if (closed.get()) {
            // close() may have emptied the pool before the offer
            closeIdleStates();
        }
    }

    private void closeState(WhisperState state) {
        state.close();
        states.decrementAndGet();
    }

    private void closeIdleStates() {
        WhisperState state;
        while ((state = idleStates.poll()) != null) {
            closeState(state);
        }
    }

    private WhisperContext context() {
        WhisperContext current = context;
        if (current == null) {
            synchronized (contextLock) {
                current = context;
                if (current == null) {
                    if (closed.get()) {
                        throw shutDown();
                    }
                    long start = System.nanoTime();
                    try {
                        // the header proves the check start() made: the file is not walked a second time
                        current = library.loadModel(model, device.contextParams(flashAttention));
                    } catch (WhisperNativeException e) {
                        throw translate(e);
                    }
                    Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
                    modelLoadTime = loadTime;
                    telemetry.modelLoaded(loadTime);
                    LOG.infof("Loaded whisper model %s (%s) in %d ms with whisper.cpp %s [%s] on %s, flash attention %s",
                            model.file(), current.modelType(), loadTime.toMillis(), library.version(),
                            library.variant(), device.describe(), flashAttention ? "on" : "off");
                    context = current;
                }
            }
        }
        return current;
    }

    /**
     * Stops accepting work, aborts decodes in progress, fails those waiting with
     * {@link ProviderUnavailableException}, closes every lease and frees the model and every state.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Runnable> waiting = workers.shutdownNow();
        // each sees the engine closed: its caller hears that, and its lease is free again
        waiting.forEach(Runnable::run);
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("whisper workers did not stop within 30 s; native memory is left to the process exit");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // no worker runs any more: the states of leases still open are free to close
        List.copyOf(leases).forEach(Lease::close);
        closeIdleStates();
        synchronized (contextLock) {
            if (context != null) {
                context.close();
                context = null;
            }
        }
    }

    static AsrException translate(WhisperNativeException e) {
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
