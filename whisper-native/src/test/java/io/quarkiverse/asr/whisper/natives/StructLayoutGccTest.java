package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every supported release tag: extracts whisper.h and the ggml headers it includes from a whisper.cpp git
 * repository, compiles a C program printing {@code sizeof}, every {@code offsetof} and the enum codes the
 * binding relies on, and compares them with the Java layouts of the tag's family, its member order with the
 * header's, and the version-dependent enum tables. Needs gcc, git and the repository (system property
 * {@code whisper.cpp.git-dir}, default the ggml-org mirror); skipped when one is missing.
 */
class StructLayoutGccTest {

    private static final Path GIT_DIR = Path.of(System.getProperty("whisper.cpp.git-dir",
            "/work/.mirror/ggml-org+whisper.cpp/repo"));
    private static final Path WORK = Path.of("target", "layout-check");
    /** Headers whisper.h includes, directly or through ggml-cpu.h / ggml-backend.h, at the supported tags. */
    private static final List<String> HEADERS = List.of("include/whisper.h", "ggml/include/ggml.h",
            "ggml/include/ggml-alloc.h", "ggml/include/ggml-backend.h", "ggml/include/ggml-cpu.h");

    static Stream<String> tags() {
        return Stream.of(
                IntStream.rangeClosed(0, 6).mapToObj(patch -> "v1.7." + patch),
                IntStream.rangeClosed(0, 7).mapToObj(patch -> "v1.8." + patch),
                IntStream.rangeClosed(0, 3).mapToObj(patch -> "v1.9." + patch))
                .flatMap(tags -> tags);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tags")
    void javaLayoutsMatchTheHeaders(String tag) throws Exception {
        NativeVersion version = NativeVersion.parse(tag.substring(1)).orElseThrow();
        WhisperFullParamsStruct.Family family = WhisperFullParamsStruct.Family.of(version).orElseThrow(
                () -> new AssertionError(tag + " is tested but has no family"));
        Headers headers = extract(tag);

        assertEquals(List.of(), mismatches(headers, structs(family)), "offsets and sizes at " + tag);
        assertEquals(memberNames(family.layout, headers),
                headers.structMembers("struct whisper_full_params"), "members of whisper_full_params at " + tag);
        assertEquals(memberNames(WhisperContextParamsStruct.LAYOUT, headers),
                headers.structMembers("struct whisper_context_params"), "members of whisper_context_params at " + tag);
        assertEquals(memberNames(WhisperTokenDataStruct.LAYOUT, headers),
                headers.structMembers("typedef struct whisper_token_data"), "members of whisper_token_data at " + tag);
        if (family.hasVad()) {
            assertEquals(memberNames(WhisperVadParamsStruct.LAYOUT, headers),
                    headers.structMembers("typedef struct whisper_vad_params"), "members of whisper_vad_params at " + tag);
            assertEquals(memberNames(WhisperVadContextParamsStruct.LAYOUT, headers),
                    headers.structMembers("struct whisper_vad_context_params"),
                    "members of whisper_vad_context_params at " + tag);
        } else {
            assertFalse(headers.whisper().contains("whisper_vad_params"), tag + " has VAD but its family has not");
        }
        assertEquals(NativeBackends.deviceTypeNames(version), headers.deviceTypeNames(), "ggml_backend_dev_type at " + tag);
    }

    @Test
    void everyTestedTagIsSupportedAndEveryFamilyTested() {
        List<WhisperFullParamsStruct.Family> tested = tags()
                .map(tag -> WhisperFullParamsStruct.Family.of(NativeVersion.parse(tag.substring(1)).orElseThrow())
                        .orElseThrow())
                .distinct().toList();
        assertEquals(List.of(WhisperFullParamsStruct.Family.values()), tested);
    }

    /** The comparison notices a layout with two fields swapped, so the test above can fail. */
    @Test
    void aSwappedPairOfFieldsIsCaught() throws Exception {
        Headers headers = extract("v1.8.3");
        List<MemoryLayout> members = new ArrayList<>(WhisperFullParamsStruct.LAYOUT_1_8_1.memberLayouts());
        int temperature = indexOf(members, "temperature");
        int maxInitialTs = indexOf(members, "max_initial_ts");
        members.set(temperature, WhisperFullParamsStruct.LAYOUT_1_8_1.memberLayouts().get(maxInitialTs));
        members.set(maxInitialTs, WhisperFullParamsStruct.LAYOUT_1_8_1.memberLayouts().get(temperature));
        StructLayout swapped = MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new));

        List<String> mismatches = mismatches(headers, Map.of("struct whisper_full_params", swapped));

        assertEquals(2, mismatches.size(), mismatches.toString());
        assertTrue(mismatches.stream().anyMatch(line -> line.startsWith("struct whisper_full_params.temperature:")),
                mismatches.toString());
    }

    private static int indexOf(List<MemoryLayout> members, String name) {
        return IntStream.range(0, members.size())
                .filter(i -> members.get(i).name().filter(name::equals).isPresent())
                .findFirst().orElseThrow();
    }

    /** The C type of each Java struct layout that the family uses. */
    private static Map<String, GroupLayout> structs(WhisperFullParamsStruct.Family family) {
        Map<String, GroupLayout> structs = new LinkedHashMap<>();
        structs.put("struct whisper_full_params", family.layout);
        structs.put("struct whisper_context_params", WhisperContextParamsStruct.LAYOUT);
        structs.put("struct whisper_token_data", WhisperTokenDataStruct.LAYOUT);
        if (family.hasVad()) {
            structs.put("struct whisper_vad_params", WhisperVadParamsStruct.LAYOUT);
            structs.put("struct whisper_vad_context_params", WhisperVadContextParamsStruct.LAYOUT);
        }
        return structs;
    }

    /** Differences between gcc's and Java's sizes, offsets and enum codes; empty when all agree. */
    private static List<String> mismatches(Headers headers, Map<String, GroupLayout> structs) throws Exception {
        NativeVersion version = headers.version();
        Map<String, Long> expected = new LinkedHashMap<>();
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"whisper.h\"\n"
                + "#include \"ggml-backend.h\"\n#define PRINT(what, value) printf(\"%s %lld\\n\", what, (long long) (value))\n"
                + "int main(void) {\n");
        structs.forEach((type, layout) -> {
            c.append("PRINT(\"sizeof ").append(type).append("\", sizeof(").append(type).append("));\n");
            expected.put("sizeof " + type, layout.byteSize());
            fields(layout, "", 0, (path, offset) -> {
                c.append("PRINT(\"").append(type).append('.').append(path).append("\", offsetof(").append(type)
                        .append(", ").append(headers.cName(path)).append("));\n");
                expected.put(type + "." + path, offset);
            });
        });
        NativeLog.Levels levels = NativeLog.Levels.of(version);
        Map<String, Integer> enums = new LinkedHashMap<>();
        enums.put("GGML_LOG_LEVEL_DEBUG", levels.debug());
        enums.put("GGML_LOG_LEVEL_INFO", levels.info());
        enums.put("GGML_LOG_LEVEL_WARN", levels.warn());
        enums.put("GGML_LOG_LEVEL_ERROR", levels.error());
        enums.put("GGML_LOG_LEVEL_CONT", levels.cont());
        enums.put("WHISPER_SAMPLING_GREEDY", WhisperFullParamsStruct.STRATEGY_GREEDY);
        enums.put("WHISPER_SAMPLING_BEAM_SEARCH", WhisperFullParamsStruct.STRATEGY_BEAM_SEARCH);
        List<String> deviceTypes = NativeBackends.deviceTypeNames(version);
        for (int code = 0; code < deviceTypes.size(); code++) {
            enums.put("GGML_BACKEND_DEVICE_TYPE_" + deviceTypes.get(code), code);
        }
        enums.forEach((name, value) -> {
            c.append("PRINT(\"").append(name).append("\", ").append(name).append(");\n");
            expected.put(name, (long) value);
        });
        c.append("return 0;\n}\n");
        Files.writeString(headers.dir().resolve("layout.c"), c);

        Path binary = headers.dir().resolve("layout").toAbsolutePath();
        Gcc.Result compile = Gcc.run(List.of("gcc", "-std=c11", "-I", headers.dir().toString(), "-o",
                binary.toString(), headers.dir().resolve("layout.c").toString()));
        assertEquals(0, compile.exit(), compile.output());
        Gcc.Result layout = Gcc.run(List.of(binary.toString()));
        assertEquals(0, layout.exit(), layout.output());
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String line : layout.output().strip().split("\n")) {
            int space = line.lastIndexOf(' ');
            actual.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
        assertEquals(expected.keySet(), actual.keySet());
        return expected.keySet().stream()
                .filter(field -> !expected.get(field).equals(actual.get(field)))
                .map(field -> field + ": Java " + expected.get(field) + ", C " + actual.get(field))
                .toList();
    }

    private interface FieldSink {
        void field(String path, long offset);
    }

    /** Every leaf field of {@code group} with its offset, nested ones as "outer.inner". */
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

    /** The names of a layout's direct members, as the tag's header spells them. */
    private static List<String> memberNames(GroupLayout layout, Headers headers) {
        return layout.memberLayouts().stream()
                .filter(member -> !(member instanceof PaddingLayout))
                .map(member -> headers.cName(member.name().orElseThrow()))
                .toList();
    }

    private static Headers extract(String tag) throws Exception {
        assumeTrue(Files.isDirectory(GIT_DIR), "no whisper.cpp git repository at " + GIT_DIR + ": skipped");
        Gcc.assumeAvailable();
        Path dir = Files.createDirectories(WORK.resolve(tag));
        for (String header : HEADERS) {
            Gcc.Result show = Gcc.run(List.of("git", "-C", GIT_DIR.toString(), "show", tag + ":" + header));
            if (header.endsWith("whisper.h")) {
                assumeTrue(show.exit() == 0, "tag " + tag + " is not in " + GIT_DIR + ": skipped");
            }
            if (show.exit() == 0) {
                // ggml-cpu.h is missing before 1.7.2, where whisper.h does not include it
                Files.writeString(dir.resolve(Path.of(header).getFileName()), show.output());
            }
        }
        return new Headers(NativeVersion.parse(tag.substring(1)).orElseThrow(), dir,
                Files.readString(dir.resolve("whisper.h")), Files.readString(dir.resolve("ggml-backend.h")));
    }

    /** One tag's extracted headers. */
    private record Headers(NativeVersion version, Path dir, String whisper, String ggmlBackend) {

        private static final Pattern COMMENTS = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
        private static final Pattern LAST_IDENTIFIER = Pattern.compile("(\\w+)\\s*$");

        /** {@code suppress_nst} was {@code suppress_non_speech_tokens} up to 1.7.3. */
        String cName(String javaName) {
            if (javaName.endsWith("suppress_nst") && whisper.contains("suppress_non_speech_tokens")) {
                return javaName.replace("suppress_nst", "suppress_non_speech_tokens");
            }
            return javaName;
        }

        /** The member names of the struct whose definition starts with {@code opening}, in declaration order. */
        List<String> structMembers(String opening) {
            String text = COMMENTS.matcher(whisper).replaceAll("");
            Matcher start = Pattern.compile(Pattern.quote(opening) + "\\s*\\{").matcher(text);
            assertTrue(start.find(), opening + " not found");
            List<String> names = new ArrayList<>();
            StringBuilder statement = new StringBuilder();
            int depth = 0;
            for (int i = start.end(); depth >= 0; i++) {
                char ch = text.charAt(i);
                if (ch == '{') {
                    depth++;
                } else if (ch == '}') {
                    depth--;
                } else if (ch == ';' && depth == 0) {
                    Matcher name = LAST_IDENTIFIER.matcher(statement);
                    assertTrue(name.find(), "no member name in '" + statement + "'");
                    names.add(name.group(1));
                    statement.setLength(0);
                    continue;
                }
                statement.append(ch);
            }
            return names;
        }

        /** The enumerators of ggml_backend_dev_type, without their prefix, in declaration order. */
        List<String> deviceTypeNames() {
            Matcher body = Pattern.compile("enum ggml_backend_dev_type \\{([^}]*)\\}").matcher(ggmlBackend);
            assertTrue(body.find(), "enum ggml_backend_dev_type not found");
            Matcher names = Pattern.compile("GGML_BACKEND_DEVICE_TYPE_(\\w+)").matcher(
                    COMMENTS.matcher(body.group(1)).replaceAll(""));
            List<String> result = new ArrayList<>();
            while (names.find()) {
                result.add(names.group(1));
            }
            return result;
        }
    }
}
