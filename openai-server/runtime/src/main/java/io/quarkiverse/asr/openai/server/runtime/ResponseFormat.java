package io.quarkiverse.asr.openai.server.runtime;

import java.util.Arrays;
import java.util.Optional;

/** OpenAI's {@code response_format} values and the content type each is served with. */
public enum ResponseFormat {

    JSON("json", "application/json"),
    TEXT("text", "text/plain; charset=utf-8"),
    SRT("srt", "text/plain; charset=utf-8"),
    VERBOSE_JSON("verbose_json", "application/json"),
    VTT("vtt", "text/plain; charset=utf-8");

    private final String value;
    private final String contentType;

    ResponseFormat(String value, String contentType) {
        this.value = value;
        this.contentType = contentType;
    }

    /** The value clients send, e.g. {@code verbose_json}. */
    public String value() {
        return value;
    }

    /** The {@code Content-Type} OpenAI answers this format with. */
    public String contentType() {
        return contentType;
    }

    /** Whether the format shows segment times, so the provider must compute them. */
    boolean timed() {
        return this == SRT || this == VTT || this == VERBOSE_JSON;
    }

    static Optional<ResponseFormat> of(String value) {
        return Arrays.stream(values()).filter(f -> f.value.equals(value)).findFirst();
    }

    /** {@code ['json', 'text', 'srt', 'verbose_json', 'vtt']}, as OpenAI lists them in its error message. */
    static String listed() {
        StringBuilder out = new StringBuilder("[");
        for (ResponseFormat format : values()) {
            out.append(out.length() > 1 ? ", '" : "'").append(format.value).append('\'');
        }
        return out.append(']').toString();
    }
}
