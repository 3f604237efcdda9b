package io.quarkiverse.asr.whisper.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** How a user library's version is found and mapped to a layout family, on fake libraries compiled with gcc. */
class VersionSelectionTest {

    private static final Path FAKES = Path.of("target", "fake-libs");

    @Test
    void parsesReleaseNumbers() {
        NativeVersion dev = NativeVersion.parse("1.9.3-dev").orElseThrow();
        assertEquals(List.of(1, 9, 3), List.of(dev.major(), dev.minor(), dev.patch()));
        assertEquals("1.9.3-dev", dev.toString());
        assertEquals(NativeVersion.of(1, 8, 3), NativeVersion.parse("1.8.3").orElseThrow());
        for (String notARelease : List.of("", "1.8", "v1.8.3", "1.8.3.4", "banana", "1.8.x")) {
            assertEquals(Optional.empty(), NativeVersion.parse(notARelease), notARelease);
        }
    }

    @Test
    void familiesCoverTheVerifiedReleasesExactly() {
        assertEquals(Optional.empty(), family(1, 6, 2));
        assertEquals(Optional.of(WhisperFullParamsStruct.Family.V1_7_0), family(1, 7, 0));
        assertEquals(Optional.of(WhisperFullParamsStruct.Family.V1_7_0), family(1, 7, 5));
        assertEquals(Optional.of(WhisperFullParamsStruct.Family.V1_7_6), family(1, 7, 6));
        assertEquals(Optional.of(WhisperFullParamsStruct.Family.V1_7_6), family(1, 8, 0));
        assertEquals(Optional.of(WhisperFullParamsStruct.Family.V1_8_1), family(1, 8, 1));
        assertEquals(Optional.of(WhisperFullParamsStruct.Family.V1_8_1), family(1, 9, 3));
        assertEquals(Optional.empty(), family(1, 9, 4));
        assertEquals(Optional.empty(), family(1, 10, 0));
        assertEquals(Optional.empty(), family(2, 0, 0));
        assertEquals(List.of("1.7.0 to 1.7.5", "1.7.6 to 1.8.0", "1.8.1 to 1.9.3"), WhisperLibrary.supportedVersions());
    }

    private static Optional<WhisperFullParamsStruct.Family> family(int major, int minor, int patch) {
        return WhisperFullParamsStruct.Family.of(NativeVersion.of(major, minor, patch));
    }

    @Test
    void aDeclared18VersionSelectsThe181Layout() throws Exception {
        Path library = Gcc.sharedLibrary(FAKES, "v183", "const char * whisper_version(void) { return \"1.8.3\"; }");

        assertEquals(WhisperFullParamsStruct.Family.V1_8_1, select(library));
        assertEquals(WhisperFullParamsStruct.Family.V1_8_1.layout, WhisperFullParamsStruct.LAYOUT_1_8_1);
    }

    @Test
    void aDevelopmentBuildOfASupportedReleaseIsAccepted() throws Exception {
        Path library = Gcc.sharedLibrary(FAKES, "v193dev", "const char * whisper_version(void) { return \"1.9.3-dev\"; }");

        assertEquals(WhisperFullParamsStruct.Family.V1_8_1, select(library));
    }

    @Test
    void vadWithoutWhisperVersionIs176() throws Exception {
        Path library = Gcc.sharedLibrary(FAKES, "v176", "int whisper_vad_default_params(void) { return 0; }");

        try (Arena arena = Arena.ofConfined()) {
            assertEquals("1.7.6", WhisperLibrary.detectVersion(library, SymbolLookup.libraryLookup(library, arena))
                    .toString());
        }
        assertEquals(WhisperFullParamsStruct.Family.V1_7_6, select(library));
    }

    @Test
    void anUnknownVersionIsRefusedWithTheSupportedOnes() throws Exception {
        Path library = Gcc.sharedLibrary(FAKES, "v200", "const char * whisper_version(void) { return \"2.0.0\"; }");

        var e = assertThrows(WhisperLibraryException.class, () -> select(library));
        assertTrue(e.getMessage().contains("is whisper.cpp 2.0.0"), e.getMessage());
        assertTrue(e.getMessage().contains("supports whisper.cpp 1.7.0 to 1.7.5, 1.7.6 to 1.8.0, 1.8.1 to 1.9.3"),
                e.getMessage());
        assertTrue(e.getMessage().contains(library.toString()), e.getMessage());
    }

    @Test
    void aVersionThatIsNoReleaseIsRefused() throws Exception {
        Path library = Gcc.sharedLibrary(FAKES, "vbanana", "const char * whisper_version(void) { return \"banana\"; }");

        var e = assertThrows(WhisperLibraryException.class, () -> select(library));
        assertTrue(e.getMessage().contains("'banana', which is no whisper.cpp release"), e.getMessage());
        assertTrue(e.getMessage().contains("1.8.1 to 1.9.3"), e.getMessage());
    }

    private static WhisperFullParamsStruct.Family select(Path library) {
        try (Arena arena = Arena.ofConfined()) {
            return WhisperLibrary.family(library,
                    WhisperLibrary.detectVersion(library, SymbolLookup.libraryLookup(library, arena)));
        }
    }
}
