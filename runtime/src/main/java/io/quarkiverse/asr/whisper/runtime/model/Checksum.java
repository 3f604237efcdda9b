package io.quarkiverse.asr.whisper.runtime.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The expected digest of a file: SHA-256, or SHA-1 where that is all whisper.cpp publishes.
 *
 * @param algorithm {@code SHA-256} or {@code SHA-1}, as {@link MessageDigest} names them
 * @param hex the digest in lowercase hexadecimal
 */
public record Checksum(String algorithm, String hex) {

    public Checksum {
        int digits = switch (algorithm) {
            case "SHA-256" -> 64;
            case "SHA-1" -> 40;
            default -> throw new IllegalArgumentException("Unsupported checksum algorithm '" + algorithm
                    + "': use SHA-256 or SHA-1");
        };
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.length() != digits || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + hex + "' is not a " + algorithm + " digest (" + digits
                    + " hexadecimal digits)");
        }
    }

    /**
     * Parses {@code sha256:<hex>}, {@code sha1:<hex>}, or bare hex: 64 digits for SHA-256, 40 for SHA-1.
     *
     * @throws IllegalArgumentException when {@code text} is none of these
     */
    public static Checksum parse(String text) {
        String value = text.strip();
        int colon = value.indexOf(':');
        if (colon < 0) {
            return new Checksum(value.length() == 40 ? "SHA-1" : "SHA-256", value);
        }
        String algorithm = switch (value.substring(0, colon).toLowerCase(Locale.ROOT)) {
            case "sha256", "sha-256" -> "SHA-256";
            case "sha1", "sha-1" -> "SHA-1";
            default -> throw new IllegalArgumentException("Unsupported checksum '" + text
                    + "': use sha256:<hex> or sha1:<hex>");
        };
        return new Checksum(algorithm, value.substring(colon + 1));
    }

    /** Computes this algorithm's digest of {@code file}, in lowercase hex. */
    public String digest(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has " + algorithm, e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@code sha256:<hex>} or {@code sha1:<hex>}, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return algorithm.replace("-", "").toLowerCase(Locale.ROOT) + ":" + hex;
    }
}
