package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every supported release tag: compiles a C program with gcc against the tag's whisper.h and ggml headers
 * ({@code ../shared/whisper.cpp/headers/<tag>/}) that prints {@code sizeof}, every {@code offsetof} and the enum
 * codes the binding relies on, and compares them with the Java layouts of the tag's family and with the offset of
 * every {@link WhisperFullParamsStruct.Field}, the member order with the header's, and the version-dependent enum
 * tables. Skipped only where gcc is missing.
 */
class StructLayoutGccTest {

    private static final Path HEADERS = TestData.SHARED.resolve("whisper.cpp/headers");
    private static final Path WORK = Path.of("target", "layout-check");

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
        Headers headers = headers(tag);

        List<Check> checks = new ArrayList<>();
        structs(family).forEach((type, layout) -> checks.addAll(layoutChecks(headers, type, layout)));
        checks.addAll(fieldChecks(headers, family));
        checks.addAll(enumChecks(version));
        assertEquals(List.of(), mismatches(headers, checks), "offsets, sizes and enum codes at " + tag);

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

    /** Every member of each family's layout is reached through a field, and no field lies outside the layout. */
    @ParameterizedTest
    @EnumSource(WhisperFullParamsStruct.Family.class)
    void everyMemberHasAField(WhisperFullParamsStruct.Family family) {
        List<String> members = family.layout.memberLayouts().stream()
                .filter(member -> !(member instanceof PaddingLayout))
                .map(member -> member.name().orElseThrow())
                .toList();
        List<String> fields = Stream.of(WhisperFullParamsStruct.Field.values())
                .filter(family::has)
                .map(field -> field.cPath().split("\\.")[0])
                .distinct().toList();
        assertEquals(members, fields);
    }

    /** The comparison notices a layout with two fields swapped, so the test above can fail. */
    @Test
    void aSwappedPairOfFieldsIsCaught() throws Exception {
        Headers headers = headers("v1.8.3");
        List<MemoryLayout> members = new ArrayList<>(WhisperFullParamsStruct.LAYOUT_1_8_1.memberLayouts());
        int temperature = indexOf(members, "temperature");
        int maxInitialTs = indexOf(members, "max_initial_ts");
        members.set(temperature, WhisperFullParamsStruct.LAYOUT_1_8_1.memberLayouts().get(maxInitialTs));
        members.set(maxInitialTs, WhisperFullParamsStruct.LAYOUT_1_8_1.memberLayouts().get(temperature));
        StructLayout swapped = MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new));

        List<String> mismatches = mismatches(headers, layoutChecks(headers, "struct whisper_full_params", swapped));

        assertEquals(2, mismatches.size(), mismatches.toString());
        assertTrue(mismatches.stream().anyMatch(line -> line.startsWith(
                "offsetof(struct whisper_full_params, temperature):")), mismatches.toString());
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

    /** One value both sides compute: a C integer expression, Java's value for it, and what it stands for. */
    private record Check(String label, String expression, long java) {
    }

    /** sizeof the struct and offsetof each of its leaf fields, nested ones as "outer.inner". */
    private static List<Check> layoutChecks(Headers headers, String type, GroupLayout layout) {
        List<Check> checks = new ArrayList<>();
        String size = "sizeof(" + type + ")";
        checks.add(new Check(size, size, layout.byteSize()));
        fields(layout, "", 0, (path, offset) -> {
            String expression = "offsetof(" + type + ", " + headers.cName(path) + ")";
            checks.add(new Check(expression, expression, offset));
        });
        return checks;
    }

    /** The offsets the accessors of WhisperFullParamsStruct use with this family. */
    private static List<Check> fieldChecks(Headers headers, WhisperFullParamsStruct.Family family) {
        return Stream.of(WhisperFullParamsStruct.Field.values())
                .filter(family::has)
                .map(field -> new Check("Field." + field, "offsetof(struct whisper_full_params, "
                        + headers.cName(field.cPath()) + ")", family.offset(field)))
                .toList();
    }

    /** The enum codes the binding uses with this release. */
    private static List<Check> enumChecks(NativeVersion version) {
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
        return enums.entrySet().stream().map(e -> new Check(e.getKey(), e.getKey(), e.getValue())).toList();
    }

    /** The checks where gcc's value differs from Java's, as "label: Java x, C y"; empty when all agree. */
    private static List<String> mismatches(Headers headers, List<Check> checks) throws Exception {
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"whisper.h\"\n"
                + "#include \"ggml-backend.h\"\nint main(void) {\n");
        checks.forEach(check -> c.append("printf(\"%lld\\n\", (long long) (").append(check.expression()).append("));\n"));
        c.append("return 0;\n}\n");
        Path dir = Files.createDirectories(WORK.resolve(headers.tag()));
        Path source = Files.writeString(dir.resolve("layout.c"), c);
        Path binary = dir.resolve("layout").toAbsolutePath();
        Gcc.Result compile = Gcc.run(List.of("gcc", "-std=c11", "-I", headers.dir().resolve("include").toString(),
                "-I", headers.dir().resolve("ggml/include").toString(), "-o", binary.toString(), source.toString()));
        assertEquals(0, compile.exit(), compile.output());
        Gcc.Result run = Gcc.run(List.of(binary.toString()));
        assertEquals(0, run.exit(), run.output());
        List<String> values = run.output().strip().lines().toList();
        assertEquals(checks.size(), values.size(), run.output());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            long gcc = Long.parseLong(values.get(i));
            if (gcc != check.java()) {
                mismatches.add(check.label() + ": Java " + check.java() + ", C " + gcc);
            }
        }
        return mismatches;
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

    /** The tag's headers in the shared folder; skips the test where gcc is missing. */
    private static Headers headers(String tag) throws Exception {
        Gcc.assumeAvailable();
        Path dir = HEADERS.resolve(tag);
        assertTrue(Files.isRegularFile(dir.resolve("include/whisper.h")), "no whisper.h of " + tag + " under " + dir);
        return new Headers(tag, NativeVersion.parse(tag.substring(1)).orElseThrow(), dir,
                Files.readString(dir.resolve("include/whisper.h")),
                Files.readString(dir.resolve("ggml/include/ggml-backend.h")));
    }

    /** One tag's headers: {@code dir} holds {@code include/whisper.h} and {@code ggml/include/*.h}. */
    private record Headers(String tag, NativeVersion version, Path dir, String whisper, String ggmlBackend) {

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
