package io.quarkiverse.asr.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The committed configuration reference ({@code docs/config/}) is what the build renders from the extensions'
 * {@code @ConfigMapping} javadoc, so that no page describes a property the code does not have, or misses one it has.
 */
class ConfigReferenceUpToDateTest {

    static final String UPDATE_COMMAND = "./mvnw -pl docs -am compile -Dupdate-config-doc";

    @Test
    void committedReferenceIsTheRenderedOne() throws IOException {
        Path generated = Path.of(System.getProperty("asr.config-doc.generated"));
        Path committed = Path.of(System.getProperty("asr.config-doc.committed"));
        Set<String> generatedFiles = extensionFiles(generated);
        assertTrue(!generatedFiles.isEmpty(), "no configuration reference was rendered into " + generated);

        List<String> problems = new ArrayList<>();
        for (String name : generatedFiles) {
            Path file = committed.resolve(name);
            if (!Files.exists(file)) {
                problems.add("docs/config/" + name + " is missing");
            } else if (!Files.readString(file).equals(Files.readString(generated.resolve(name)))) {
                problems.add("docs/config/" + name + " is out of date");
            }
        }
        for (String name : extensionFiles(committed)) {
            if (!generatedFiles.contains(name)) {
                problems.add("docs/config/" + name + " describes no extension of the build: delete it");
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\nRegenerate the configuration reference with: " + UPDATE_COMMAND);
        }
    }

    /** One file per extension; the renderer's per-prefix copies ({@code <artifactId>_<prefix>.md}) repeat it. */
    private static Set<String> extensionFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".md") && !name.contains("_"))
                    .collect(TreeSet::new, Set::add, Set::addAll);
        }
    }
}
