package io.quarkiverse.asr.openai.server.runtime;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Flow;

import io.quarkiverse.asr.spi.AudioChunk;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * The audio of a live session: binary WebSocket frames of 16-bit little-endian mono PCM, as {@link AudioChunk}s, for
 * one subscriber (the provider's live transcription).
 * <p>
 * Runs on the socket's event loop. Frames reach {@link #push} as they are read; those beyond the subscriber's demand
 * wait in a queue and pause the socket, so that Vert.x stops reading from the connection once its own small inbound
 * buffer is full: a client that sends faster than the provider asks for audio is slowed down by TCP, and the memory
 * held stays bounded.
 */
final class WebSocketAudio implements Flow.Publisher<AudioChunk> {

    private final ServerWebSocket socket;
    private final Context context;
    private final int sampleRate;
    private final Queue<AudioChunk> waiting = new ArrayDeque<>();
    private Flow.Subscriber<? super AudioChunk> subscriber;
    private long demand;
    /** The low byte of a sample split across two frames, or -1. */
    private int carry = -1;
    private boolean completed;
    private boolean cancelled;

    WebSocketAudio(ServerWebSocket socket, Context context, int sampleRate) {
        this.socket = socket;
        this.context = context;
        this.sampleRate = sampleRate;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super AudioChunk> s) {
        context.runOnContext(v -> {
            if (subscriber != null) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("The audio of a WebSocket session has one subscriber"));
                return;
            }
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    context.runOnContext(ignored -> requested(n));
                }

                @Override
                public void cancel() {
                    context.runOnContext(ignored -> {
                        cancelled = true;
                        waiting.clear();
                    });
                }
            });
            drain();
        });
    }

    /** Takes the data of a binary frame. */
    void push(Buffer data) {
        if (completed || cancelled) {
            return;
        }
        AudioChunk chunk = decode(data);
        if (chunk != null) {
            waiting.add(chunk);
            drain();
        }
    }

    /** The client said the audio is over: what is queued is delivered, then the stream completes. */
    void complete() {
        if (!completed) {
            completed = true;
            drain();
        }
    }

    private void requested(long n) {
        if (cancelled) {
            return;
        }
        if (n <= 0) {
            cancelled = true;
            subscriber.onError(new IllegalArgumentException("Rule §3.9: request(" + n + ") is not positive"));
            return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        drain();
    }

    private void drain() {
        if (subscriber == null || cancelled) {
            return;
        }
        while (demand > 0 && !waiting.isEmpty()) {
            demand--;
            subscriber.onNext(waiting.poll());
        }
        if (completed && waiting.isEmpty()) {
            cancelled = true;
            subscriber.onComplete();
        } else if (waiting.isEmpty()) {
            socket.resume();
        } else {
            socket.pause();
        }
    }

    /** 16-bit little-endian samples, a byte left over from the previous frame first; null when no sample is whole. */
    private AudioChunk decode(Buffer data) {
        int bytes = data.length() + (carry >= 0 ? 1 : 0);
        float[] samples = new float[bytes / 2];
        int at = 0;
        int sample = 0;
        if (carry >= 0 && data.length() > 0) {
            samples[sample++] = (short) ((data.getByte(0) << 8) | carry) / 32768f;
            at = 1;
            carry = -1;
        }
        for (; sample < samples.length; sample++, at += 2) {
            samples[sample] = data.getShortLE(at) / 32768f;
        }
        if (at < data.length()) {
            carry = data.getUnsignedByte(at);
        }
        return samples.length == 0 ? null : new AudioChunk(samples, sampleRate);
    }
}
