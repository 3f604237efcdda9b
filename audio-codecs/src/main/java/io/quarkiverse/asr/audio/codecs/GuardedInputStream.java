package io.quarkiverse.asr.audio.codecs;

import java.io.ByteArrayInputStream;

/**
 * A view of a byte range for stream-based codec libraries, checking the decode deadline as they read, so
 * that no library loop over the input can run unbounded.
 */
final class GuardedInputStream extends ByteArrayInputStream {

    private final Work work;

    GuardedInputStream(byte[] data, int offset, int length, Work work) {
        super(data, offset, length);
        this.work = work;
    }

    @Override
    public int read() {
        work.check();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        work.check();
        return super.read(b, off, len);
    }

    @Override
    public long skip(long n) {
        work.check();
        return super.skip(n);
    }
}
