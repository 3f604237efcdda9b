package io.quarkiverse.asr.openai.server.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.quarkiverse.asr.runtime.http.UploadTimeouts;
import io.quarkiverse.asr.runtime.http.UploadWatch;
import io.quarkiverse.asr.spi.AudioInput;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the {@code multipart/form-data} body of an OpenAI request: file parts are kept in memory when the body's
 * declared length is within {@code in-memory-upload-size}, and streamed to files in the uploads directory otherwise;
 * the other fields are left to Vert.x ({@code request.formAttributes()}), and the whole body must stay within the
 * upload limit. Once the body has been read and every file part is stored, the next handler runs with them in
 * {@link RoutingContext#fileUploads()} ({@link #audio} gives their audio); they are discarded when the exchange ends,
 * whichever way.
 * <p>
 * The first failure decides the answer: a form Vert.x cannot decode (or loses, see {@code Body.lostByVertx}) or one
 * that ends without its closing boundary, a field over {@code quarkus.http.limits.max-form-attribute-size} (400), a
 * body over the limit (413), a client that sends nothing for {@code upload-idle-timeout} or takes longer than
 * {@code upload-timeout} in all (408 from the {@link UploadWatch}, and the connection is closed), or a file that cannot
 * be written (500). The files
 * are then discarded, and what follows from discarding them is not a failure of the request. This replaces Vert.x Web's
 * {@code BodyHandler}, which fails such requests with 500 instead when the refusal comes while a file part that has
 * just ended is being closed: its clean-up cancels the upload through
 * {@code HttpServerFileUpload.cancelStreamToFileSystem()}, which throws "File handle is closed" in that window, so the
 * 400 or 413 is never reported and the aborted upload's "Streaming aborted" answers instead.
 */
final class MultipartBodyHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(MultipartBodyHandler.class);
    private static final OpenOptions WRITE = new OpenOptions().setWrite(true).setCreateNew(true);
    private static final byte[] CRLF = { '\r', '\n' };
    /** How often an upload in progress is checked for a part of it that Vert.x lost (see {@code lostByVertx}). */
    private static final long LOSS_CHECK_MILLIS = 250;

    private final long maxUploadSize;
    private final long inMemorySize;
    private final String directory;
    private final OptionalLong maxFieldSize;
    private final UploadTimeouts timeouts;

    /**
     * @param maxUploadSize the largest body accepted, in bytes
     * @param inMemorySize the largest declared body length whose file parts are kept in memory, in bytes
     * @param directory where the file parts of other bodies are written
     * @param maxFieldSize {@code quarkus.http.limits.max-form-attribute-size}, for the message about a field over
     *        it
     * @param timeouts how long the body may stall, and take in all
     */
    MultipartBodyHandler(long maxUploadSize, long inMemorySize, String directory, OptionalLong maxFieldSize,
            UploadTimeouts timeouts) {
        this.maxUploadSize = maxUploadSize;
        this.inMemorySize = inMemorySize;
        this.directory = directory;
        this.maxFieldSize = maxFieldSize;
        this.timeouts = timeouts;
    }

    /** The {@code boundary} parameter of a multipart Content-Type, unquoted; empty when it has none. */
    static Optional<String> boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("boundary")) {
                String value = parameter.substring(equals + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            // no body: the request handler reports the missing file
            ctx.next();
            return;
        }
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                ctx.fail(new OpenAiApiException(417, OpenAiApiException.INVALID_REQUEST,
                        "Unsupported expectation '" + expect + "'.", null, null, OptionalLong.empty(), null));
                return;
            }
            if (request.version() != HttpVersion.HTTP_1_0) {
                ctx.response().writeContinue();
            }
        }
        // without a length (chunked) the body's size is unknown until it has arrived
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean inMemory = length != null && RequestGuard.declaredLength(length) <= inMemorySize;
        Body body = new Body(ctx, boundary(request.getHeader(HttpHeaders.CONTENT_TYPE)).orElseThrow(), inMemory);
        ctx.addEndHandler(result -> {
            if (result.failed()) {
                if (!body.settled) {
                    LOG.debugf("%s %s [%s]: the client went away during the upload, after %d bytes", request.method(),
                            request.path(), RequestGuard.requestId(ctx), body.received);
                }
                // the exchange failed before the body was read: the client gone, or a form error that Vert.x found
                // only at the end of the body and reports to the response alone
                body.failed(result.cause());
            }
            // whichever way the exchange ends, nothing of the upload stays behind
            body.discardAll();
        });
        try {
            request.setExpectMultipart(true);
        } catch (IllegalStateException e) {
            // the guard lets only multipart POSTs through; anything Vert.x still cannot decode is the client's
            ctx.fail(OpenAiApiException.badRequest("The multipart form could not be read: " + e.getMessage(), null,
                    "invalid_value"));
            return;
        }
        body.watch();
        request.uploadHandler(body::part)
                .handler(body::data)
                .exceptionHandler(body::failed)
                .endHandler(body::ended)
                // Quarkus hands requests over paused
                .resume();
    }

    /** Maps a failure of the request or of one of its parts: a form that cannot be decoded is the client's fault. */
    private Throwable classify(Throwable failure) {
        if (!(failure instanceof DecoderException)) {
            return failure;
        }
        if (failure instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
            return OpenAiApiException.badRequest("The form has too many fields.", null, "invalid_value");
        }
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        if (failure instanceof HttpPostRequestDecoder.TooLongFormFieldException
                || cause instanceof IOException && String.valueOf(cause.getMessage()).startsWith("Size exceed")) {
            // Netty reports a field over its factory's limit (max-form-attribute-size) as "Size exceed allowed
            // maximum capacity"; a field too long to be buffered (max-form-buffered-bytes) with its own type
            return new OpenAiApiException(400, OpenAiApiException.INVALID_REQUEST,
                    "A form field is too large: form fields other than 'file' may have at most "
                            + (maxFieldSize.isPresent() ? maxFieldSize.getAsLong() + " bytes" : "a few kilobytes")
                            + ".",
                    null, "field_too_large", OptionalLong.empty(), failure);
        }
        return new OpenAiApiException(400, OpenAiApiException.INVALID_REQUEST,
                "The multipart form could not be read: " + cause.getMessage(), null, "invalid_value",
                OptionalLong.empty(), failure);
    }

    /** The state of one request's body. Used on the request's event loop only. */
    private final class Body {

        private final RoutingContext ctx;
        private final List<Upload> uploads = new ArrayList<>();
        private final String boundary;
        /** Whether file parts are kept in memory rather than written to files. */
        private final boolean inMemory;
        /**
         * {@code CRLF--boundary--}, which ends a complete multipart body: without the line break before it, Netty does
         * not end the last part, which would then never be stored.
         */
        private final Delimiter.Scan closing;
        /** Whether {@link #closing} has arrived: a body that ends before it is incomplete. */
        private boolean closed;
        private long received;
        private UploadWatch watch;
        private long lossTimer = -1;
        private boolean ended;
        /** Failed or handed on: nothing more happens to this body but discarding its files. */
        private boolean settled;

        Body(RoutingContext ctx, String boundary, boolean inMemory) {
            this.ctx = ctx;
            this.boundary = boundary;
            this.inMemory = inMemory;
            // a delimiter at the very start of the body has no line break before it
            this.closing = new Delimiter(("\r\n--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1)).scan(CRLF);
        }

        void data(Buffer chunk) {
            if (settled) {
                return;
            }
            received += chunk.length();
            if (received > maxUploadSize) {
                fail(OpenAiApiException.tooLarge(maxUploadSize));
                return;
            }
            if (!closed) {
                closed = closing.foundIn(chunk.getBytes());
            }
        }

        /** Fails the body when it arrives too slowly, or when Vert.x lost part of it (see {@link #lostByVertx()}). */
        void watch() {
            watch = UploadWatch.start(ctx, timeouts, late -> fail(OpenAiApiException.uploadTimeout(late)));
            checkLossLater();
        }

        /**
         * Whether Vert.x read bytes or the end of the body that never reached this handler. Netty's multipart decoder
         * throws exceptions that Vert.x 4.5 does not expect (an {@code ArrayIndexOutOfBoundsException} for a
         * Content-Disposition parameter without '='); for a request handed over paused, as Quarkus does, Vert.x then
         * drops the chunk or the end and the exception without a word, and the body would wait for the idle timeout.
         */
        private boolean lostByVertx() {
            HttpServerRequest request = ctx.request();
            return request.bytesRead() > received || request.isEnded() && !ended;
        }

        private void checkLossLater() {
            lossTimer = ctx.vertx().setTimer(LOSS_CHECK_MILLIS, id -> checkLoss());
        }

        private void checkLoss() {
            lossTimer = -1;
            if (settled || ended) {
                return;
            }
            if (lostByVertx()) {
                fail(OpenAiApiException.badRequest("The multipart form could not be read: a part's headers are"
                        + " malformed (after " + received + " bytes).", null, "invalid_value"));
                return;
            }
            checkLossLater();
        }

        private void stopWatching() {
            if (watch != null) {
                watch.stop();
            }
            if (lossTimer >= 0) {
                ctx.vertx().cancelTimer(lossTimer);
                lossTimer = -1;
            }
        }

        void part(HttpServerFileUpload part) {
            if (settled) {
                // nobody reads it: its data is dropped
                return;
            }
            Upload upload = inMemory ? new InMemory(this, part)
                    : new InFile(this, part, directory, Path.of(directory, UUID.randomUUID().toString()).toString(),
                            ctx.vertx().fileSystem());
            uploads.add(upload);
            ctx.fileUploads().add(upload);
            upload.start();
        }

        void ended(Void ignored) {
            ended = true;
            stopWatching();
            if (!closed) {
                // the parts that were still open will never end: Vert.x waits for their boundary forever
                fail(OpenAiApiException.badRequest("The multipart form ended without its closing boundary '--"
                        + boundary + "--' on a line of its own: the body is incomplete.", null, "invalid_value"));
                return;
            }
            proceedIfComplete();
        }

        void proceedIfComplete() {
            if (settled || !ended) {
                return;
            }
            for (Upload upload : uploads) {
                if (!upload.stored()) {
                    return;
                }
            }
            settled = true;
            ctx.next();
        }

        /** The request, or one of its parts, failed: a form error, the client gone, or a file not written. */
        void failed(Throwable failure) {
            fail(classify(failure));
        }

        void fail(Throwable failure) {
            if (settled) {
                return;
            }
            settled = true;
            stopWatching();
            discardAll();
            ctx.fail(failure);
        }

        void discardAll() {
            for (Upload upload : uploads) {
                upload.discard();
            }
        }
    }

    /** The audio of a file part that the previous handler stored, for the provider. */
    static AudioInput audio(FileUpload upload, String clientName) {
        return ((Upload) upload).audio(clientName);
    }

    /**
     * A file part, stored whole once it has ended: in a file, or in memory when the body is small. It is discarded when
     * the exchange ends, whichever way.
     */
    private abstract static sealed class Upload implements FileUpload permits InFile, InMemory {

        final Body body;
        final HttpServerFileUpload part;
        boolean discarded;
        boolean stored;
        long size;

        Upload(Body body, HttpServerFileUpload part) {
            this.body = body;
            this.part = part;
        }

        /** Starts storing the part's data; {@link Body#proceedIfComplete()} once it is stored. */
        abstract void start();

        /** The stored part, for the provider. */
        abstract AudioInput audio(String clientName);

        /** Stops storing and frees what was stored, now or once a file operation under way completes; idempotent. */
        void discard() {
            if (discarded) {
                return;
            }
            discarded = true;
            // the rest of the part's data is dropped rather than left to hold the request back
            part.handler(null);
            part.resume();
            released();
        }

        /** Frees what was stored, once {@link #discarded}. */
        abstract void released();

        final boolean stored() {
            return stored;
        }

        @Override
        public final boolean cancel() {
            discard();
            return true;
        }

        @Override
        public final String name() {
            return part.name();
        }

        @Override
        public final String fileName() {
            return part.filename();
        }

        @Override
        public final long size() {
            return size;
        }

        @Override
        public final String contentType() {
            return part.contentType();
        }

        @Override
        public final String contentTransferEncoding() {
            return part.contentTransferEncoding();
        }

        @Override
        public final String charSet() {
            return part.charset();
        }
    }

    /**
     * A file part kept in memory: the body's declared length is within {@code in-memory-upload-size}, and over HTTP/1.1
     * Vert.x reads no more than that length, so the part cannot grow past it; the upload limit bounds it in any case.
     */
    private static final class InMemory extends Upload {

        private Buffer data;

        InMemory(Body body, HttpServerFileUpload part) {
            super(body, part);
            this.data = Buffer.buffer();
        }

        @Override
        void start() {
            part.exceptionHandler(body::failed);
            part.endHandler(v -> {
                if (!discarded) {
                    stored = true;
                    body.proceedIfComplete();
                }
            });
            part.handler(chunk -> {
                if (!discarded) {
                    size += chunk.length();
                    data.appendBuffer(chunk);
                }
            });
        }

        @Override
        AudioInput audio(String clientName) {
            return AudioInput.of(data.getBytes(), clientName);
        }

        @Override
        void released() {
            data = null;
        }

        /** No file: {@code null}. */
        @Override
        public String uploadedFileName() {
            return null;
        }

        @Override
        public Future<Void> delete() {
            discard();
            return Future.succeededFuture();
        }
    }

    private enum State {
        OPENING,
        WRITING,
        CLOSING,
        /** The file is closed: stored, or its close failed. */
        CLOSED,
        /** The file could not be opened. */
        NONE
    }

    /**
     * A file part streamed to its file. Its file handle is only written to while {@link State#WRITING} and not
     * discarded, and closed once, so nothing here touches a closed handle.
     */
    private static final class InFile extends Upload {

        private final String directory;
        private final String path;
        private final FileSystem fs;
        private AsyncFile file;
        private State state = State.OPENING;

        InFile(Body body, HttpServerFileUpload part, String directory, String path, FileSystem fs) {
            super(body, part);
            this.directory = directory;
            this.path = path;
            this.fs = fs;
        }

        @Override
        void start() {
            // the part's data waits until the file is open
            part.pause();
            part.exceptionHandler(body::failed);
            fs.mkdirs(directory).compose(v -> fs.open(path, WRITE)).onComplete(this::opened);
        }

        private void opened(AsyncResult<AsyncFile> result) {
            if (result.failed()) {
                state = State.NONE;
                if (!discarded) {
                    body.failed(result.cause());
                }
                return;
            }
            file = result.result();
            if (discarded) {
                closeAndDelete();
                return;
            }
            state = State.WRITING;
            part.endHandler(v -> close());
            part.handler(this::write);
            part.resume();
        }

        private void write(Buffer data) {
            if (discarded || state != State.WRITING) {
                return;
            }
            size += data.length();
            file.write(data).onFailure(this::writeFailed);
            if (file.writeQueueFull()) {
                part.pause();
                file.drainHandler(v -> part.resume());
            }
        }

        private void writeFailed(Throwable failure) {
            if (!discarded) {
                body.failed(failure);
            }
        }

        /** The part has ended: closing the file stores it. */
        private void close() {
            if (discarded || state != State.WRITING) {
                return;
            }
            state = State.CLOSING;
            file.close().onComplete(result -> {
                state = State.CLOSED;
                if (discarded) {
                    delete();
                } else if (result.failed()) {
                    body.failed(result.cause());
                } else {
                    stored = true;
                    body.proceedIfComplete();
                }
            });
        }

        @Override
        AudioInput audio(String clientName) {
            return AudioInput.of(Path.of(path));
        }

        @Override
        void released() {
            switch (state) {
                case WRITING -> closeAndDelete();
                case CLOSED -> delete();
                // OPENING and CLOSING: their callbacks see the discard
                default -> {
                }
            }
        }

        private void closeAndDelete() {
            state = State.CLOSING;
            file.close().onComplete(result -> {
                state = State.CLOSED;
                delete();
            });
        }

        @Override
        public Future<Void> delete() {
            return fs.delete(path);
        }

        @Override
        public String uploadedFileName() {
            return path;
        }
    }

    /**
     * A byte sequence searched for by Horspool's algorithm: this runs over every byte of every upload on the event
     * loop, and a mismatch skips ahead by up to the delimiter's length (tens of bytes) instead of one byte.
     */
    static final class Delimiter {

        private final byte[] bytes;
        /** For each byte value, how far a window whose last byte it is may move without passing a match. */
        private final int[] skip = new int[256];

        Delimiter(byte[] bytes) {
            this.bytes = bytes;
            Arrays.fill(skip, bytes.length);
            for (int i = 0; i < bytes.length - 1; i++) {
                skip[bytes[i] & 0xff] = bytes.length - 1 - i;
            }
        }

        /** A search through the chunks of a stream that come after {@code start}. */
        Scan scan(byte[] start) {
            return new Scan(start);
        }

        /** The first index of the delimiter in {@code haystack}, or -1. */
        int indexOf(byte[] haystack) {
            int last = bytes.length - 1;
            byte lastByte = bytes[last];
            for (int i = 0; i <= haystack.length - bytes.length;) {
                byte end = haystack[i + last];
                if (end == lastByte && Arrays.equals(haystack, i, i + last, bytes, 0, last)) {
                    return i;
                }
                i += skip[end & 0xff];
            }
            return -1;
        }

        /** Looks for the delimiter in a stream that arrives in chunks, which may split it anywhere. */
        final class Scan {

            /** The last bytes seen, too few to hold the delimiter: it may start in them and end in the next chunk. */
            private byte[] tail;

            private Scan(byte[] start) {
                this.tail = start;
            }

            /** Whether the delimiter ends in this chunk; keeps the chunk's tail for the next. */
            boolean foundIn(byte[] chunk) {
                int keep = bytes.length - 1;
                // the tail and as much of the chunk as a delimiter that starts in the tail can reach
                byte[] seam = Arrays.copyOf(tail, tail.length + Math.min(chunk.length, keep));
                System.arraycopy(chunk, 0, seam, tail.length, seam.length - tail.length);
                if (indexOf(seam) >= 0 || indexOf(chunk) >= 0) {
                    return true;
                }
                tail = chunk.length >= keep ? Arrays.copyOfRange(chunk, chunk.length - keep, chunk.length)
                        : Arrays.copyOfRange(seam, Math.max(0, seam.length - keep), seam.length);
                return false;
            }
        }
    }
}
