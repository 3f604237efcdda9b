package io.quarkiverse.asr.whisper.runtime.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Model names (such as {@code tiny.en} or {@code large-v3-turbo-q5_0}), each with the checksum and size of its file
 * {@code ggml-<name>.bin} where they are known. {@link #whisperCpp()} is the whisper.cpp catalogue, read from
 * {@code catalogue.tsv} beside this class, which names its sources.
 */
public final class ModelCatalogue {

    /**
     * Letters, digits and single {@code . _ -} between them: a name can neither contain a path separator nor be
     * {@code ..}, so {@code ggml-<name>.bin} stays in the models folder.
     */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*");
    private static final int MAX_NAME_LENGTH = 64;

    private static final ModelCatalogue WHISPER_CPP = load("catalogue.tsv");

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * One model.
     *
     * @param name the catalogue name
     * @param size the file's length in bytes, when known
     * @param checksum the file's digest, when known
     */
    public record Entry(String name, OptionalLong size, Optional<Checksum> checksum) {

        public Entry {
            if (!isValidName(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a valid model name");
            }
        }

        /** {@code ggml-<name>.bin}, the file's name in the models folder and on the download server. */
        public String fileName() {
            return "ggml-" + name + ".bin";
        }
    }

    private ModelCatalogue(List<Entry> entries) {
        for (Entry entry : entries) {
            if (this.entries.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("Model '" + entry.name() + "' is listed twice");
            }
        }
    }

    /** The whisper.cpp catalogue. */
    public static ModelCatalogue whisperCpp() {
        return WHISPER_CPP;
    }

    /** A catalogue of the given entries, for example models of one's own mirror. */
    public static ModelCatalogue of(List<Entry> entries) {
        return new ModelCatalogue(entries);
    }

    /**
     * Whether {@code name} is safe as a model name: lowercase letters and digits, separated by single {@code .},
     * {@code _} or {@code -}, at most 64 characters.
     */
    public static boolean isValidName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }

    /** The entry named {@code name}, if any. */
    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Whether {@code name} is in this catalogue. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The names, in catalogue order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    private static ModelCatalogue load(String resource) {
        try (InputStream in = ModelCatalogue.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + resource + " is missing beside " + ModelCatalogue.class);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Entry> entries = new ArrayList<>();
            int number = 0;
            for (String line; (line = reader.readLine()) != null;) {
                number++;
                if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("name\t")) {
                    entries.add(parse(line, resource + ":" + number));
                }
            }
            return new ModelCatalogue(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static Entry parse(String line, String where) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 4) {
            throw new IllegalStateException(where + ": expected 4 tab-separated fields, not " + fields.length);
        }
        if (fields[2].equals("-") != fields[3].equals("-")) {
            throw new IllegalStateException(where + ": give both a checksum algorithm and a checksum, or neither");
        }
        try {
            return new Entry(fields[0],
                    fields[1].equals("-") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[1])),
                    fields[2].equals("-") ? Optional.empty() : Optional.of(new Checksum(fields[2], fields[3])));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }
}
