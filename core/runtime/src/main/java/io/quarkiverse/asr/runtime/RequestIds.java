package io.quarkiverse.asr.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The id of an HTTP request, for the logs of every edge and the {@code X-Request-Id} header: the client's own when it
 * sends a plain one, else a new one, unique in this process.
 */
public final class RequestIds {

    /** The header that carries the id, both ways. */
    public static final String HEADER = "X-Request-Id";

    /** A client's id is used when it is short and plain, so that it cannot forge log lines. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final AtomicLong REQUESTS = new AtomicLong();

    private RequestIds() {
    }

    /** @param header the request's {@value #HEADER}, or {@code null} */
    public static String of(String header) {
        return header != null && PLAIN.matcher(header).matches() ? header : "asr-" + REQUESTS.incrementAndGet();
    }
}
