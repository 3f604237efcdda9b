package io.quarkiverse.asr.spi.streaming;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkiverse.asr.spi.audio.Resampler;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.spi.vad.VoiceActivityDetector;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Live transcription over any {@link WindowTranscriber}: audio chunks in, {@link TranscriptEvent}s out, through an
 * {@link OnlineProcessor}. See {@code docs/live-transcription.md}.
 * <p>
 * Each subscription is an independent session. Audio of any sample rate (the same for the whole stream) is
 * resampled to 16 kHz as it arrives. One engine call runs at a time, on the given executor; the next starts when
 * {@link StreamingOptions#minChunk()} of new audio has arrived and the events of the previous one were delivered.
 * <p>
 * Backpressure, end to end, never dropping audio: while the engine is busy, audio keeps being requested and buffered,
 * so when the engine falls behind the next call simply covers more audio. The buffer never exceeds
 * {@link StreamingOptions#maxBuffer()} plus one chunk: when it is full, no more audio is requested from the source
 * until a step has confirmed and cut some. A source that cannot wait (a live capture) applies its own overflow
 * policy, e.g. {@code onOverflow().buffer(n)}, which fails the stream with Mutiny's
 * {@code BackPressureFailure} rather than lose audio silently. Events wait for downstream demand, and no engine call
 * starts while events are waiting, so a slow consumer slows the engine, then the source.
 * <p>
 * Failures are {@link AsrException}s on the {@code Multi} (a failure of the source passes through as it is); a
 * change of sample rate mid-stream or a rate that cannot be resampled is an {@link UnsupportedAudioException}.
 * Cancelling the subscription cancels the source and the engine call in flight.
 */
public final class LiveTranscriber {

    private LiveTranscriber() {
    }

    /**
     * Transcribes live audio without a voice activity detector.
     *
     * @param executor where engine calls are subscribed (they may block there); never the caller's thread
     * @return the events; with {@link StreamingOptions#vad()} on, a failure with {@link UnsupportedFeatureException}
     */
    public static Multi<TranscriptEvent> transcribe(Multi<AudioChunk> audio, WindowTranscriber engine,
            StreamingOptions options, Executor executor) {
        return transcribe(audio, engine, options, executor, null, null);
    }

    /**
     * Transcribes live audio; with {@link StreamingOptions#vad()} on, only the speech that {@code detector} finds is
     * transcribed, and each utterance is confirmed when it ends (see {@link OnlineProcessor}).
     *
     * @param executor where engine calls are subscribed (they may block there); never the caller's thread
     * @param detector the voice activity detector, or {@code null} when the provider has none
     * @param parameters its thresholds, required with {@code detector}
     * @return the events; with {@link StreamingOptions#vad()} on and no detector, a failure with
     *         {@link UnsupportedFeatureException}
     */
    public static Multi<TranscriptEvent> transcribe(Multi<AudioChunk> audio, WindowTranscriber engine,
            StreamingOptions options, Executor executor, VoiceActivityDetector detector, VadParameters parameters) {
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(executor, "executor");
        if (options.vad() && detector == null) {
            return Multi.createFrom().failure(new UnsupportedFeatureException(
                    "voice activity detection needs a VAD model, and this provider has none configured"));
        }
        if (detector != null) {
            Objects.requireNonNull(parameters, "parameters");
        }
        return Multi.createFrom().publisher(subscriber -> new Session(engine, executor, subscriber,
                new OnlineProcessor(options, detector, parameters)).start(audio));
    }

    /** One subscription. State is guarded by {@code this}; signals to the subscriber are serialised by {@link #drain}. */
    private static final class Session implements Flow.Subscription, Flow.Subscriber<AudioChunk> {
        private final WindowTranscriber engine;
        private final Executor executor;
        private final Flow.Subscriber<? super TranscriptEvent> downstream;
        private final OnlineProcessor processor;
        private final AtomicInteger wip = new AtomicInteger();
        private final ArrayDeque<TranscriptEvent> queue = new ArrayDeque<>();

        private Flow.Subscription upstream;
        private Resampler.Incremental resampler;
        private long demand;
        private boolean awaitingChunk;
        private boolean upstreamDone;
        private boolean processorFinished;
        /** The number of the engine call in flight, 0 when none. */
        private long step;
        private long steps;
        private Cancellable inFlight;
        private Throwable failure;
        private boolean cancelled;
        private boolean done;

        Session(WindowTranscriber engine, Executor executor, Flow.Subscriber<? super TranscriptEvent> downstream,
                OnlineProcessor processor) {
            this.engine = engine;
            this.executor = executor;
            this.downstream = downstream;
            this.processor = processor;
        }

        void start(Multi<AudioChunk> audio) {
            downstream.onSubscribe(this);
            audio.subscribe(this);
        }

        // --- downstream subscription

        @Override
        public void request(long n) {
            synchronized (this) {
                if (n <= 0) {
                    failure = new IllegalArgumentException("request must be positive, got " + n);
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
            }
            drain();
        }

        @Override
        public void cancel() {
            Flow.Subscription up;
            Cancellable call;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                done = true;
                queue.clear();
                up = upstream;
                call = inFlight;
                inFlight = null;
            }
            if (up != null) {
                up.cancel();
            }
            if (call != null) {
                call.cancel();
            }
        }

        // --- upstream audio

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            boolean cancelNow;
            synchronized (this) {
                cancelNow = upstream != null || cancelled;
                if (upstream == null) {
                    upstream = subscription;
                }
            }
            if (cancelNow) {
                subscription.cancel();
                return;
            }
            drain();
        }

        @Override
        public void onNext(AudioChunk chunk) {
            synchronized (this) {
                awaitingChunk = false;
                if (done || failure != null) {
                    return;
                }
                try {
                    if (resampler == null) {
                        resampler = Resampler.incremental(chunk.sampleRate(), WindowTranscriber.SAMPLE_RATE);
                    } else if (chunk.sampleRate() != resampler.fromRate()) {
                        throw new UnsupportedAudioException("the sample rate changed mid-stream from "
                                + resampler.fromRate() + " Hz to " + chunk.sampleRate() + " Hz");
                    }
                    processor.insert(resampler.push(chunk.samples()));
                } catch (IllegalArgumentException e) {
                    failure = new UnsupportedAudioException("cannot take " + chunk.sampleRate() + " Hz audio: "
                            + e.getMessage(), e);
                } catch (UnsupportedAudioException e) {
                    failure = e;
                } catch (IllegalStateException e) {
                    failure = vadFailure(e); // the detector was closed under the stream
                }
            }
            drain();
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                upstreamDone = true;
                if (failure == null) {
                    failure = t;
                }
            }
            drain();
        }

        @Override
        public void onComplete() {
            synchronized (this) {
                upstreamDone = true;
                if (!done) {
                    if (resampler != null) {
                        processor.insert(resampler.finish());
                    }
                    try {
                        processor.endOfAudio();
                    } catch (IllegalStateException e) {
                        failure = vadFailure(e);
                    }
                }
            }
            drain();
        }

        private static AsrException vadFailure(IllegalStateException e) {
            return new AsrException("voice activity detection failed: " + e.getMessage(), e);
        }

        // --- engine

        private void launch(long id, OnlineProcessor.Window window) {
            Cancellable call = Uni.createFrom().deferred(() -> engine.transcribe(window.samples(), window.prompt()))
                    .runSubscriptionOn(executor)
                    .subscribe().with(result -> onResult(id, window, result), t -> onEngineFailure(id, window, t));
            boolean cancelNow;
            synchronized (this) {
                cancelNow = done;
                if (step == id && !done) {
                    inFlight = call;
                }
            }
            if (cancelNow) {
                call.cancel();
            }
        }

        private void onResult(long id, OnlineProcessor.Window window, List<Segment> segments) {
            synchronized (this) {
                if (step != id || done) {
                    return;
                }
                step = 0;
                inFlight = null;
                try {
                    queue.addAll(processor.accept(window, segments));
                } catch (RuntimeException e) {
                    failure = new AsrException("cannot use the engine's result for the window at " + window.start()
                            + ": " + e.getMessage(), e);
                }
            }
            drain();
        }

        private void onEngineFailure(long id, OnlineProcessor.Window window, Throwable t) {
            synchronized (this) {
                if (step != id || done) {
                    return;
                }
                step = 0;
                inFlight = null;
                failure = t instanceof AsrException ? t
                        : new AsrException("the engine failed on the window at " + window.start() + ": " + t, t);
            }
            drain();
        }

        // --- the one place that decides what happens next

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                TranscriptEvent next = null;
                Throwable error = null;
                boolean complete = false;
                long launchId = 0;
                OnlineProcessor.Window window = null;
                boolean finishing = false;
                Flow.Subscription requestFrom = null;
                Flow.Subscription up = null;
                Cancellable call = null;
                synchronized (this) {
                    if (!done) {
                        if (failure != null) {
                            done = true;
                            error = failure;
                            up = upstreamDone ? null : upstream;
                            call = inFlight;
                            inFlight = null;
                        } else if (!queue.isEmpty()) {
                            if (demand > 0) {
                                next = queue.poll();
                                demand--;
                            }
                        } else if (step == 0) {
                            if (processor.due() || upstreamDone && processor.untranscribed().isPositive()) {
                                window = processor.window();
                                launchId = ++steps;
                                step = launchId;
                            } else if (upstreamDone && !processorFinished) {
                                processorFinished = true;
                                queue.addAll(processor.finish());
                                finishing = true;
                            } else if (upstreamDone) {
                                done = true;
                                complete = true;
                            }
                        }
                        if (!done && failure == null && !upstreamDone && upstream != null && !awaitingChunk
                                && !processor.full()) {
                            awaitingChunk = true;
                            requestFrom = upstream;
                        }
                    }
                }
                if (error != null) {
                    if (up != null) {
                        up.cancel();
                    }
                    if (call != null) {
                        call.cancel();
                    }
                    downstream.onError(error);
                } else if (next != null) {
                    downstream.onNext(next);
                } else if (complete) {
                    downstream.onComplete();
                } else if (window != null) {
                    launch(launchId, window);
                }
                if (requestFrom != null) {
                    requestFrom.request(1);
                }
                if (error == null && next == null && !complete && window == null && !finishing) {
                    missed = wip.addAndGet(-missed);
                    if (missed == 0) {
                        return;
                    }
                }
            }
        }
    }
}
