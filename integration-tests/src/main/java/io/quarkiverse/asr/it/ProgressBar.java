package io.quarkiverse.asr.it;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * A one-line progress bar on a terminal: redrawn in place at each progress report of the decoder, ended with a line
 * break when the file is done.
 */
final class ProgressBar implements IntConsumer, AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private int drawn = -1;

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public synchronized void accept(int percent) {
        int clamped = Math.clamp(percent, 0, 100);
        if (clamped != drawn) {
            drawn = clamped;
            int filled = clamped * WIDTH / 100;
            out.print("\r" + label + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                    + String.format(Locale.ROOT, "%3d%%", clamped));
            out.flush();
        }
    }

    /** Draws the end of the bar: the decoder reports windows as they start, never the end of the last one. */
    void done() {
        accept(100);
    }

    @Override
    public synchronized void close() {
        if (drawn >= 0) {
            out.println();
        }
    }
}
