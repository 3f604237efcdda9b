package io.quarkiverse.asr.remote.deployment;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A transcription service on the test application's HTTP server, under {@value #BASE}: it records each request and
 * answers with the next scripted answer, or with {@link #VERBOSE} when the script is empty.
 */
@ApplicationScoped
public class ScriptedService {

    static final String BASE = "/scripted/v1";
    static final String BASE_URL = "http://localhost:${quarkus.http.test-port:8081}" + BASE;

    /**
     * What OpenAI answers for a short recording with word timestamps; "not" lasts no time at the boundary of the
     * two segments, as services sometimes time a word.
     */
    static final String VERBOSE = """
            {"task": "transcribe", "language": "english", "duration": 4.25,
             "text": "Ask not. What your country can do.",
             "segments": [
               {"id": 0, "seek": 0, "start": 0.0, "end": 1.5, "text": " Ask not.", "tokens": [1, 2],
                "temperature": 0.0, "avg_logprob": -0.2, "compression_ratio": 1.0, "no_speech_prob": 0.01},
               {"id": 1, "seek": 150, "start": 1.5, "end": 4.2, "text": " What your country can do.", "tokens": [3],
                "temperature": 0.0, "avg_logprob": -0.3, "compression_ratio": 1.1, "no_speech_prob": 0.02}],
             "words": [
               {"word": "Ask", "start": 0.0, "end": 0.6}, {"word": "not", "start": 1.5, "end": 1.5},
               {"word": "What", "start": 1.5, "end": 1.9}, {"word": "your", "start": 1.9, "end": 2.3},
               {"word": "country", "start": 2.3, "end": 3.1}, {"word": "can", "start": 3.1, "end": 3.5},
               {"word": "do", "start": 3.5, "end": 4.2}],
             "usage": {"type": "duration", "seconds": 5}}
            """;

    /** One answer: a status, headers and a body, or no answer at all. */
    record Answer(int status, Map<String, String> headers, String body, boolean hang) {

        static Answer of(int status, Map<String, String> headers, String body) {
            return new Answer(status, headers, body, false);
        }

        static Answer error(int status, Map<String, String> headers, String code, String message) {
            return of(status, headers, "{\"error\": {\"message\": \"" + message + "\", \"type\": \"invalid_request_error\","
                    + " \"param\": null, \"code\": " + (code == null ? "null" : "\"" + code + "\"") + "}}");
        }

        static Answer never() {
            return new Answer(0, Map.of(), "", true);
        }
    }

    /** A request as it arrived. */
    record Received(long nanoTime, String path, MultiMap headers, String body) {
    }

    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch hungUpOn = new CountDownLatch(1);

    void routes(@Observes Router router) {
        router.post(BASE + "/audio/*").handler(ctx -> {
            ctx.request().body().onSuccess(body -> answer(ctx, body.toString())).onFailure(ctx::fail);
            // Quarkus hands requests over paused, for a body handler to resume
            ctx.request().resume();
        });
    }

    private void answer(RoutingContext ctx, String body) {
        received.add(new Received(System.nanoTime(), ctx.request().path(), ctx.request().headers(), body));
        Answer answer = script.poll();
        if (answer == null) {
            answer = Answer.of(200, Map.of(), VERBOSE);
        }
        if (answer.hang()) {
            CountDownLatch latch = hungUpOn;
            ctx.request().connection().closeHandler(closed -> latch.countDown());
            return;
        }
        ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json");
        answer.headers().forEach(ctx.response()::putHeader);
        ctx.response().end(answer.body());
    }

    /** Forgets earlier requests and sets the answers to the next ones. */
    void script(Answer... answers) {
        received.clear();
        script.clear();
        script.addAll(List.of(answers));
        hungUpOn = new CountDownLatch(1);
    }

    List<Received> received() {
        return received;
    }

    /** Counts down when a client closes a connection whose request got no answer. */
    CountDownLatch hungUpOn() {
        return hungUpOn;
    }
}
