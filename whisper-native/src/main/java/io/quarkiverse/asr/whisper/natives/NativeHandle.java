package io.quarkiverse.asr.whisper.natives;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Sole owner of one native pointer. The owner holds one reference from creation until {@link #run()}
 * (close, or the {@link Cleaner} when the owner was forgotten); every native call holds another while
 * it runs, and a dependent object (a state of a context) holds one for its lifetime. The pointer is freed
 * exactly once, when the last reference goes, so closing never frees memory that a running call or a
 * live state still uses, and a closed handle refuses new use with {@link IllegalStateException}.
 * <p>
 * Each kind of handle counts its own live ones (created, not yet freed), so that tests and diagnostics can tell
 * that an owner, such as an application stopped by a dev mode reload, freed everything it held.
 */
final class NativeHandle implements Runnable {

    static final Cleaner CLEANER = Cleaner.create();

    private final String what;
    private final MemorySegment address;
    private final Consumer<MemorySegment> free;
    private final AtomicInteger live;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean closed;

    /** @param live the count of live handles of this kind, incremented now and decremented once freed */
    NativeHandle(String what, MemorySegment address, Consumer<MemorySegment> free, AtomicInteger live) {
        this.what = what;
        this.address = address;
        this.free = free;
        this.live = live;
        live.incrementAndGet();
    }

    /** Takes a reference; pair it with {@link #release()}. */
    MemorySegment acquire() {
        int count;
        do {
            count = references.get();
            if (closed || count == 0) {
                throw new IllegalStateException(what + " is closed");
            }
        } while (!references.compareAndSet(count, count + 1));
        return address;
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            try {
                free.accept(address);
            } finally {
                live.decrementAndGet();
            }
        }
    }

    /** Drops the owner's reference; runs at most once because only a {@link Cleaner.Cleanable} calls it. */
    @Override
    public void run() {
        closed = true;
        release();
    }
}
