package io.quarkiverse.asr.whisper.natives.testjvm;

import java.time.Duration;
import java.util.function.IntSupplier;

/** Waits for what a server or another thread does in its own time, such as ending its transcriptions. */
public final class Await {

    private Await() {
    }

    /** Polls {@code value} until it gives {@code expected}; false when it did not within {@code limit}. */
    public static boolean until(IntSupplier value, int expected, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (value.getAsInt() == expected) {
                return true;
            }
            Thread.sleep(20);
        }
        return value.getAsInt() == expected;
    }
}
