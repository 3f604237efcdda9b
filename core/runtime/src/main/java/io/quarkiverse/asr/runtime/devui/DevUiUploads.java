package io.quarkiverse.asr.runtime.devui;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkiverse.asr.runtime.InvalidParameterException;
import io.quarkiverse.asr.spi.AudioTooLargeException;

/**
 * Audio the Dev UI uploads in pieces: its web socket refuses messages larger than 64 KiB, so the page sends a file as
 * base64 pieces of 32 KiB. The uploads are held in memory until they are transcribed.
 */
final class DevUiUploads {

    /** The largest file the page may upload, as the OpenAI transcription API. */
    static final long MAX_BYTES = 25L * 1024 * 1024;

    /** Uploads held at once: one the page abandoned (a closed tab) is dropped when a later one needs its room. */
    private static final int MAX_PENDING = 4;

    private final Map<String, Upload> pending = new LinkedHashMap<>();

    /** An upload: the file's name, its bytes, and how many of them arrived. */
    static final class Upload {
        final String name;
        final byte[] bytes;
        int received;

        Upload(String name, int size) {
            this.name = name == null || name.isBlank() ? "audio" : name;
            this.bytes = new byte[size];
        }
    }

    /**
     * Starts an upload of {@code size} bytes.
     *
     * @return the upload's id
     * @throws AudioTooLargeException when {@code size} is over {@link #MAX_BYTES}
     */
    synchronized String start(String name, long size) {
        if (size <= 0) {
            throw new InvalidParameterException("size", "The file is empty");
        }
        if (size > MAX_BYTES) {
            throw new AudioTooLargeException(name + " has " + size + " bytes; the Dev UI transcribes files of at most "
                    + MAX_BYTES / (1024 * 1024) + " MiB");
        }
        Iterator<String> oldest = pending.keySet().iterator();
        while (pending.size() >= MAX_PENDING) {
            oldest.next();
            oldest.remove();
        }
        String id = UUID.randomUUID().toString();
        pending.put(id, new Upload(name, (int) size));
        return id;
    }

    /**
     * Appends {@code piece} to upload {@code id}.
     *
     * @return how many bytes of the upload arrived so far
     */
    synchronized int append(String id, byte[] piece) {
        Upload upload = find(id);
        if (upload.received + piece.length > upload.bytes.length) {
            pending.remove(id);
            throw new InvalidParameterException("data", "More bytes than the " + upload.bytes.length + " announced");
        }
        System.arraycopy(piece, 0, upload.bytes, upload.received, piece.length);
        return upload.received += piece.length;
    }

    /** Removes upload {@code id} once all its bytes arrived, for transcription. */
    synchronized Upload take(String id) {
        Upload upload = find(id);
        pending.remove(id);
        if (upload.received < upload.bytes.length) {
            throw new InvalidParameterException("uploadId", "Upload " + id + " is incomplete: " + upload.received
                    + " of " + upload.bytes.length + " bytes arrived");
        }
        return upload;
    }

    private Upload find(String id) {
        Upload upload = id == null ? null : pending.get(id);
        if (upload == null) {
            throw new InvalidParameterException("uploadId", "No upload " + id + ": start it again");
        }
        return upload;
    }
}
