package io.quarkiverse.asr.runtime;

/**
 * A request parameter an HTTP edge cannot accept: its message names the parameter and the values it takes. Answered
 * with 400 by {@link AsrExceptionMapper} and by the OpenAI-compatible API.
 */
public class InvalidParameterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The parameter's name, as the edge that read it calls it. */
    public String parameter() {
        return parameter;
    }
}
