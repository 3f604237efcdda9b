package io.quarkiverse.asr.whisper.natives;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jboss.logging.Logger;

/**
 * Receives whisper.cpp's and ggml's log output (one upcall, installed once per process) and writes it to
 * JBoss Logging, category {@value #CATEGORY}, one record per line.
 * <p>
 * ggml levels (ggml.h v1.7.1: NONE 0, INFO 1, WARN 2, ERROR 3, DEBUG 4, CONT 5) map to ERROR, WARN,
 * DEBUG for INFO and NONE (whisper.cpp's INFO output is a per-model dump of hyper-parameters and buffer
 * sizes, not service news), and TRACE for DEBUG. CONT continues the previous message at its level; text is
 * buffered per thread until its newline.
 */
final class NativeLog {

    static final String CATEGORY = "io.quarkiverse.asr.whisper.natives.whispercpp";

    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private static final int GGML_LOG_LEVEL_WARN = 2;
    private static final int GGML_LOG_LEVEL_ERROR = 3;
    private static final int GGML_LOG_LEVEL_DEBUG = 4;
    private static final int GGML_LOG_LEVEL_CONT = 5;

    private static final ThreadLocal<PendingLine> PENDING = ThreadLocal.withInitial(PendingLine::new);

    private NativeLog() {
    }

    /** Creates the upcall stub; it lives in the global arena since the library may log until the JVM exits. */
    static MemorySegment upcallStub() {
        try {
            var target = MethodHandles.lookup().findStatic(NativeLog.class, "log",
                    MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class));
            return Linker.nativeLinker().upcallStub(target, WhisperBindings.LOG_CALLBACK, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * While on, ERROR lines of the current thread are logged at DEBUG: after an abort that was asked for,
     * whisper.cpp 1.7.1 reports "failed to encode/decode", which is no error for the caller.
     */
    static void expectAbortErrors(boolean on) {
        PENDING.get().abortRequested = on;
    }

    /** The upcall target: {@code void (*)(enum ggml_log_level, const char *, void *)}. */
    private static void log(int level, MemorySegment text, MemorySegment userData) {
        try {
            PENDING.get().append(level, WhisperBindings.string(text));
        } catch (Throwable t) {
            // An exception must not unwind into native code (the JVM would crash); a lost log line is the lesser harm.
        }
    }

    private static final class PendingLine {
        private final StringBuilder text = new StringBuilder();
        private Logger.Level level = Logger.Level.DEBUG;
        private boolean abortRequested;

        void append(int ggmlLevel, String message) {
            if (ggmlLevel != GGML_LOG_LEVEL_CONT) {
                flush();
                level = map(ggmlLevel);
            }
            if (message == null) {
                return;
            }
            int start = 0;
            for (int newline = message.indexOf('\n'); newline >= 0; newline = message.indexOf('\n', start)) {
                text.append(message, start, newline);
                flush();
                start = newline + 1;
            }
            text.append(message, start, message.length());
        }

        private void flush() {
            String line = text.toString();
            text.setLength(0);
            if (!line.isBlank()) {
                LOG.log(level, line);
            }
        }

        private Logger.Level map(int ggmlLevel) {
            return switch (ggmlLevel) {
                case GGML_LOG_LEVEL_ERROR -> abortRequested ? Logger.Level.DEBUG : Logger.Level.ERROR;
                case GGML_LOG_LEVEL_WARN -> Logger.Level.WARN;
                case GGML_LOG_LEVEL_DEBUG -> Logger.Level.TRACE;
                default -> Logger.Level.DEBUG;
            };
        }
    }
}
