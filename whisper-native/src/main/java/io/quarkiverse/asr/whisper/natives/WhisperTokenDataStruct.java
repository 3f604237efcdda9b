package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Mirror of {@code whisper_token_data} as declared in whisper.h of whisper.cpp v1.7.0 to v1.9.3 (unchanged
 * there), returned by value.
 */
final class WhisperTokenDataStruct {

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("id"),
            JAVA_INT.withName("tid"),
            JAVA_FLOAT.withName("p"),
            JAVA_FLOAT.withName("plog"),
            JAVA_FLOAT.withName("pt"),
            JAVA_FLOAT.withName("ptsum"),
            JAVA_LONG.withName("t0"),
            JAVA_LONG.withName("t1"),
            JAVA_LONG.withName("t_dtw"),
            JAVA_FLOAT.withName("vlen"),
            MemoryLayout.paddingLayout(4))
            .withName("whisper_token_data");

    private static final long ID = LAYOUT.byteOffset(groupElement("id"));
    private static final long P = LAYOUT.byteOffset(groupElement("p"));
    private static final long PLOG = LAYOUT.byteOffset(groupElement("plog"));
    private static final long T0 = LAYOUT.byteOffset(groupElement("t0"));
    private static final long T1 = LAYOUT.byteOffset(groupElement("t1"));

    private final MemorySegment segment;

    WhisperTokenDataStruct(MemorySegment segment) {
        this.segment = segment.asSlice(0, LAYOUT);
    }

    int id() {
        return segment.get(JAVA_INT, ID);
    }

    float p() {
        return segment.get(JAVA_FLOAT, P);
    }

    float plog() {
        return segment.get(JAVA_FLOAT, PLOG);
    }

    /** Centiseconds; only meaningful with token timestamps enabled. */
    long t0() {
        return segment.get(JAVA_LONG, T0);
    }

    long t1() {
        return segment.get(JAVA_LONG, T1);
    }
}
