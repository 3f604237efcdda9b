package io.quarkiverse.asr.remote.deployment;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP forward proxy on the loopback interface, as far as the remote provider needs one: it checks a request's
 * {@code Proxy-Authorization: Basic}, forwards a plain {@code http} request, sent with an absolute URI, to the host the
 * URI names, one request per connection ({@code Connection: close} both ways) so that every request that passes
 * through is counted, and opens a tunnel for an {@code https} one ({@code CONNECT}), counted once per connection. A request in origin form, {@code GET /forwarded}, is answered by the proxy itself: the number of requests
 * refused, then the request lines forwarded, one a line, so that tests in another class loader can read them.
 */
final class ForwardingProxy implements AutoCloseable {

    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket server;
    private final String credentials;
    /**
     * The request lines forwarded, such as {@code POST http://localhost:8081/v1/audio/transcriptions}, and the tunnels
     * opened, such as {@code CONNECT localhost:8443}.
     */
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    /** The requests answered {@code 407} for missing or wrong credentials. */
    private final AtomicInteger refused = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

    private ForwardingProxy(ServerSocket server, String credentials) {
        this.server = server;
        this.credentials = credentials;
    }

    /** Starts a proxy on a free port that forwards only requests with these credentials. */
    static ForwardingProxy start(String user, String password) {
        try {
            ForwardingProxy proxy = new ForwardingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                            .getBytes(StandardCharsets.UTF_8)));
            proxy.threads.execute(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout((int) WhisperServerProcess.HANG.toMillis());
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            String[] lines = head(in).split("\r\n");
            String[] request = lines[0].split(" ");
            if (request[1].equals("/forwarded")) {
                byte[] body = (refused.get() + "\n" + String.join("\n", forwarded))
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                return;
            }
            if (!credentials.equals(header(lines, "proxy-authorization"))) {
                refused.incrementAndGet();
                byte[] body = "{\"error\":{\"message\":\"proxy authentication required\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"asr\"\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                // the client may still be sending its upload: read it, so that it gets the answer, not a reset
                client.shutdownOutput();
                in.transferTo(OutputStream.nullOutputStream());
                return;
            }
            if (request[0].equals("CONNECT")) {
                tunnel(request[1], in, out);
                return;
            }
            URI target = URI.create(request[1]);
            try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
                StringBuilder head = new StringBuilder(request[0]).append(' ').append(target.getRawPath())
                        .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery())
                        .append(' ').append(request[2]).append("\r\n");
                copyHeaders(lines, head);
                upstream.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                forwarded.add(request[0] + " " + request[1]);
                // the upload streams on while the answer is read; closing the sockets ends this copy
                threads.execute(() -> {
                    try {
                        in.transferTo(upstream.getOutputStream());
                    } catch (IOException e) {
                        // a socket was closed: the exchange is over
                    }
                });
                InputStream answer = new BufferedInputStream(upstream.getInputStream());
                String[] response = head(answer).split("\r\n");
                StringBuilder responseHead = new StringBuilder(response[0]).append("\r\n");
                copyHeaders(response, responseHead);
                out.write(responseHead.toString().getBytes(StandardCharsets.ISO_8859_1));
                answer.transferTo(out);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client or the service went away: nothing is left to forward
        }
    }

    /**
     * An {@code https} request: a tunnel to {@code host:port}, through which the TLS session runs from the client to
     * the service; it lasts as long as the client keeps the connection.
     */
    private void tunnel(String authority, InputStream in, OutputStream out) throws IOException {
        int colon = authority.lastIndexOf(':');
        try (Socket upstream = new Socket(authority.substring(0, colon),
                Integer.parseInt(authority.substring(colon + 1)))) {
            forwarded.add("CONNECT " + authority);
            out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            threads.execute(() -> {
                try {
                    in.transferTo(upstream.getOutputStream());
                    upstream.shutdownOutput();
                } catch (IOException e) {
                    // a socket was closed: the tunnel is over
                }
            });
            upstream.getInputStream().transferTo(out);
        }
    }

    /** The headers but those of the hop to the proxy, and {@code Connection: close}. */
    private static void copyHeaders(String[] lines, StringBuilder head) {
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).strip().toLowerCase(Locale.ROOT);
            if (!name.startsWith("proxy-") && !name.equals("connection") && !name.equals("keep-alive")) {
                head.append(lines[i]).append("\r\n");
            }
        }
        head.append("Connection: close\r\n\r\n");
    }

    private static String header(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** The head of a request or response, up to the blank line that ends it. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() > MAX_HEAD) {
                throw new IOException("no complete head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }
}
