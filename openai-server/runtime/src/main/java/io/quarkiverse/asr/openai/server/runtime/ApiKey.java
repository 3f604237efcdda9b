package io.quarkiverse.asr.openai.server.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The configured API key ({@code quarkus.asr.openai-api.api-key}), checked in constant time: the SHA-256 digests of
 * the expected and the given key are compared with {@link MessageDigest#isEqual}, whatever their lengths.
 */
final class ApiKey {

    private static final String BEARER = "bearer ";

    /** SHA-256 of the configured key; null when none is configured. */
    private final byte[] digest;

    ApiKey(Optional<String> configured) {
        this.digest = configured.map(String::strip).filter(k -> !k.isEmpty()).map(ApiKey::sha256).orElse(null);
    }

    /** Whether a key is configured, so that requests must carry it. */
    boolean required() {
        return digest != null;
    }

    /**
     * Checks an {@code Authorization} header ({@code Bearer <key>}, the scheme in any case).
     *
     * @throws OpenAiApiException 401 when a key is required and the header is missing, malformed or has another key
     */
    void checkAuthorization(String header) {
        if (digest == null) {
            return;
        }
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            throw OpenAiApiException.missingApiKey();
        }
        check(header.substring(BEARER.length()));
    }

    /**
     * Checks a key sent without the {@code Bearer} scheme.
     *
     * @throws OpenAiApiException 401 when a key is required and {@code key} is blank or another key
     */
    void check(String key) {
        if (digest == null) {
            return;
        }
        if (key == null || key.isBlank()) {
            throw OpenAiApiException.missingApiKey();
        }
        if (!MessageDigest.isEqual(sha256(key.strip()), digest)) {
            throw OpenAiApiException.invalidApiKey();
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
