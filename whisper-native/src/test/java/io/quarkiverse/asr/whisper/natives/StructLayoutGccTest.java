package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Compiles a C program against the v1.7.1 headers and compares every {@code offsetof} and {@code sizeof}
 * with the Java layouts. Needs gcc, git and a whisper.cpp git repository (system property
 * {@code whisper.cpp.git-dir}); skipped when one is missing.
 */
class StructLayoutGccTest {

    private static final Path GIT_DIR = Path.of(System.getProperty("whisper.cpp.git-dir",
            "/work/.mirror/ggerganov+whisper.cpp/repo"));
    private static final Path WORK = Path.of("target", "layout-check");

    private static final Map<String, GroupLayout> STRUCTS = Map.of(
            "whisper_full_params", WhisperFullParamsStruct.LAYOUT,
            "whisper_context_params", WhisperContextParamsStruct.LAYOUT,
            "whisper_token_data", WhisperTokenDataStruct.LAYOUT);

    @Test
    void javaLayoutsMatchTheC171Headers() throws Exception {
        assumeTrue(Files.isDirectory(GIT_DIR), "no whisper.cpp git repository at " + GIT_DIR);
        assumeTrue(run(List.of("gcc", "--version")).exit() == 0, "gcc not available");
        Files.createDirectories(WORK);
        Result whisperH = run(List.of("git", "-C", GIT_DIR.toString(), "show", "v1.7.1:include/whisper.h"));
        Result ggmlH = run(List.of("git", "-C", GIT_DIR.toString(), "show", "v1.7.1:ggml/include/ggml.h"));
        assumeTrue(whisperH.exit() == 0 && ggmlH.exit() == 0, "tag v1.7.1 not in " + GIT_DIR);
        Files.writeString(WORK.resolve("whisper.h"), whisperH.output());
        Files.writeString(WORK.resolve("ggml.h"), ggmlH.output());

        Map<String, Long> expected = new LinkedHashMap<>();
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"whisper.h\"\nint main(void) {\n");
        STRUCTS.forEach((name, layout) -> {
            c.append("printf(\"%s %zu\\n\", \"sizeof ").append(name).append("\", sizeof(struct ").append(name).append("));\n");
            expected.put("sizeof " + name, layout.byteSize());
            fields(layout, "", 0, (path, offset) -> {
                c.append("printf(\"%s %zu\\n\", \"").append(name).append('.').append(path)
                        .append("\", offsetof(struct ").append(name).append(", ").append(path).append("));\n");
                expected.put(name + "." + path, offset);
            });
        });
        c.append("return 0;\n}\n");
        Files.writeString(WORK.resolve("layout.c"), c);

        Path binary = WORK.resolve("layout").toAbsolutePath();
        Result compile = run(List.of("gcc", "-std=c11", "-o", binary.toString(), WORK.resolve("layout.c").toString()));
        assertEquals(0, compile.exit(), compile.output());
        Result layout = run(List.of(binary.toString()));
        assertEquals(0, layout.exit(), layout.output());
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String line : layout.output().strip().split("\n")) {
            int space = line.lastIndexOf(' ');
            actual.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
        assertEquals(expected.keySet(), actual.keySet());
        List<String> mismatches = expected.keySet().stream()
                .filter(field -> !expected.get(field).equals(actual.get(field)))
                .map(field -> field + ": Java " + expected.get(field) + ", C " + actual.get(field))
                .toList();
        assertEquals(List.of(), mismatches);
    }

    private interface FieldSink {
        void field(String path, long offset);
    }

    private static void fields(GroupLayout group, String prefix, long base, FieldSink sink) {
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            if (!(member instanceof PaddingLayout)) {
                String path = prefix + member.name().orElseThrow();
                if (member instanceof GroupLayout nested) {
                    fields(nested, path + ".", offset, sink);
                } else {
                    sink.field(path, offset);
                }
            }
            offset += member.byteSize();
        }
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command to its end; exit -1 when it cannot be started. */
    private static Result run(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }
}
