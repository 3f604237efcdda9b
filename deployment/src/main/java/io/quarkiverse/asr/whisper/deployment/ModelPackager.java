package io.quarkiverse.asr.whisper.deployment;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.COPY_ATTRIBUTES;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.quarkus.runtime.configuration.ConfigurationException;

/** Puts model files into a folder of the application package, each under its own file name. */
final class ModelPackager {

    private static final String INCLUDE_PROPERTY = "quarkus.asr.whisper.include-models-in-artifact";

    private ModelPackager() {
    }

    /**
     * Makes {@code folder} hold {@code files} and nothing else. A file is hard-linked where the file system allows
     * (no copy of a model of several GB), else copied; a link or copy an earlier build left is kept.
     *
     * @throws ConfigurationException when two different files have the same name
     */
    static void pack(Collection<Path> files, Path folder) throws IOException {
        Map<String, Path> byName = new TreeMap<>();
        for (Path file : files) {
            Path other = byName.putIfAbsent(file.getFileName().toString(), file);
            if (other != null && !Files.isSameFile(other, file)) {
                throw new ConfigurationException("The models " + other + " and " + file + " have the same file name,"
                        + " and the application package can hold only one of them: rename one, or set "
                        + INCLUDE_PROPERTY + "=false", Set.of(INCLUDE_PROPERTY));
            }
        }
        Files.createDirectories(folder);
        try (Stream<Path> present = Files.list(folder)) {
            for (Path stale : present.filter(path -> !byName.containsKey(path.getFileName().toString())).toList()) {
                Files.delete(stale);
            }
        }
        for (Map.Entry<String, Path> model : byName.entrySet()) {
            place(model.getValue(), folder.resolve(model.getKey()));
        }
    }

    private static void place(Path source, Path target) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == Files.size(source)
                && Files.getLastModifiedTime(target).equals(Files.getLastModifiedTime(source))) {
            return;
        }
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            // another file system, or one without hard links; the copy keeps the time stamp for the check above
            Path part = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(source, part, REPLACE_EXISTING, COPY_ATTRIBUTES);
            Files.move(part, target, ATOMIC_MOVE);
        }
    }
}
