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
 * ggml levels map to ERROR, WARN, DEBUG for INFO and NONE (whisper.cpp's INFO output is a per-model dump of
 * hyper-parameters and buffer sizes, not service news), and TRACE for DEBUG. CONT continues the previous
 * message at its level; text is buffered per thread until its newline. The codes of {@code enum ggml_log_level}
 * changed in whisper.cpp 1.7.2, so they are chosen by the loaded library's version.
 */
final class NativeLog {

    static final String CATEGORY = "io.quarkiverse.asr.whisper.natives.whispercpp";

    private static final Logger LOG = Logger.getLogger(CATEGORY);

    /** {@code enum ggml_log_level} codes of one ggml release; NONE is 0 in all. */
    record Levels(int debug, int info, int warn, int error, int cont) {

        /** ggml.h of whisper.cpp 1.7.0 and 1.7.1. */
        static final Levels V1_7_0 = new Levels(4, 1, 2, 3, 5);
        /** ggml.h of whisper.cpp 1.7.2 to 1.9.3. */
        static final Levels V1_7_2 = new Levels(1, 2, 3, 4, 5);

        static Levels of(NativeVersion version) {
            return version.atLeast(1, 7, 2) ? V1_7_2 : V1_7_0;
        }
    }

    private static final ThreadLocal<PendingLine> PENDING = ThreadLocal.withInitial(PendingLine::new);

    /** Set once, before the upcall is installed: a process loads one whisper.cpp library. */
    private static volatile Levels levels = Levels.V1_7_0;

    private NativeLog() {
    }

    /**
     * Creates the upcall stub for a library of {@code version}; it lives in the global arena since the library
     * may log until the JVM exits.
     */
    static MemorySegment upcallStub(NativeVersion version) {
        levels = Levels.of(version);
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
     * whisper.cpp reports "failed to encode/decode", which is no error for the caller.
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
            if (ggmlLevel != levels.cont()) {
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
            Levels codes = levels;
            if (ggmlLevel == codes.error()) {
                return abortRequested ? Logger.Level.DEBUG : Logger.Level.ERROR;
            }
            if (ggmlLevel == codes.warn()) {
                return Logger.Level.WARN;
            }
            return ggmlLevel == codes.debug() ? Logger.Level.TRACE : Logger.Level.DEBUG;
        }
    }
}
