package io.quarkiverse.asr.whisper.natives;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whisper.cpp release number. {@code text} is how it is shown: what {@code whisper_version()} said ("1.8.3",
 * "1.9.3-dev") or what could be inferred from the exported symbols ("1.7.2-1.7.3"); the numbers are the
 * lowest release it can be, which is what the choice of layouts and enum codes goes by.
 */
record NativeVersion(int major, int minor, int patch, String text) implements Comparable<NativeVersion> {

    /** "major.minor.patch", optionally followed by a pre-release or build suffix such as "-dev". */
    private static final Pattern RELEASE = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})([-+][0-9A-Za-z.+-]*)?");

    static NativeVersion of(int major, int minor, int patch) {
        return new NativeVersion(major, minor, patch, major + "." + minor + "." + patch);
    }

    /** Parses what {@code whisper_version()} returns; empty when it is no release number. */
    static Optional<NativeVersion> parse(String text) {
        Matcher matcher = RELEASE.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new NativeVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), text));
    }

    /** The same release, shown as {@code text} (a range of releases the library may be). */
    NativeVersion shownAs(String text) {
        return new NativeVersion(major, minor, patch, text);
    }

    boolean atLeast(int major, int minor, int patch) {
        return compareTo(of(major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(NativeVersion other) {
        int result = Integer.compare(major, other.major);
        if (result == 0) {
            result = Integer.compare(minor, other.minor);
        }
        return result != 0 ? result : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return text;
    }
}
