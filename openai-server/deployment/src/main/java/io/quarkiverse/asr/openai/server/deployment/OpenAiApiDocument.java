package io.quarkiverse.asr.openai.server.deployment;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Encoding;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.tags.Tag;

import io.quarkiverse.asr.openai.server.runtime.ResponseFormat;

/**
 * The OpenAI-compatible endpoints in the application's OpenAPI document ({@code /q/openapi}): they are Vert.x routes,
 * which SmallRye OpenAPI does not find by scanning, so this build-time filter adds their paths, multipart forms,
 * answers and errors, as {@code docs/openai-api.md} describes them. Only the endpoints the application serves are
 * added; the schemas are named {@code Asr*} to stay clear of the application's own.
 *
 * @param api the full path of the OpenAI endpoints ({@code /v1}, under the HTTP root path), {@code null} when not served
 * @param inference the full path of whisper-server's {@code /inference}, served with {@code api}
 * @param live the full path of the live WebSocket, {@code null} when not served
 * @param served the {@code model} values that select a provider
 */
record OpenAiApiDocument(String api, String inference, String live, List<String> served) implements OASFilter {

    private static final String TAG = "Speech to text (OpenAI-compatible)";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain";
    private static final String MULTIPART = "multipart/form-data";
    private static final String TRANSCRIPTION_REQUEST = "AsrTranscriptionRequest";
    private static final String TRANSLATION_REQUEST = "AsrTranslationRequest";
    private static final String INFERENCE_REQUEST = "AsrInferenceRequest";
    private static final String TRANSCRIPTION = "AsrTranscription";
    private static final String VERBOSE_TRANSCRIPTION = "AsrVerboseTranscription";
    private static final String ERROR = "AsrError";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            openAPI.setPaths(OASFactory.createPaths());
        }
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Paths paths = openAPI.getPaths();
        Components components = openAPI.getComponents();
        openAPI.addTag(OASFactory.createObject(Tag.class).name(TAG)
                .description("Transcription and translation of uploaded audio, as OpenAI's audio API and whisper.cpp's "
                        + "whisper-server answer them (see the extension's docs/openai-api.md)"));
        components.addSchema(ERROR, error());
        if (api != null) {
            components.addSchema(TRANSCRIPTION, transcription());
            components.addSchema(VERBOSE_TRANSCRIPTION, verboseTranscription());
            components.addSchema(TRANSCRIPTION_REQUEST, request(false));
            components.addSchema(TRANSLATION_REQUEST, request(true));
            paths.addPathItem(api + "/audio/transcriptions", OASFactory.createPathItem().POST(upload(
                    "createTranscription", "Transcribes audio into the input language", TRANSCRIPTION_REQUEST)));
            paths.addPathItem(api + "/audio/translations", OASFactory.createPathItem().POST(upload(
                    "createTranslation", "Translates audio into English", TRANSLATION_REQUEST)));
            components.addSchema(INFERENCE_REQUEST, inferenceRequest());
            paths.addPathItem(inference, OASFactory.createPathItem().POST(upload("inference",
                    "Transcribes or translates audio as whisper.cpp's whisper-server does", INFERENCE_REQUEST)));
        }
        if (live != null) {
            paths.addPathItem(live, OASFactory.createPathItem().GET(liveOperation()));
        }
    }

    /** A POST of a multipart form, with the answers of every response format and the errors. */
    private Operation upload(String id, String summary, String form) {
        Encoding repeated = OASFactory.createEncoding().style(Encoding.Style.FORM).explode(true);
        Content request = OASFactory.createContent().addMediaType(MULTIPART, OASFactory.createMediaType()
                .schema(ref(form))
                .addEncoding("file", OASFactory.createEncoding().contentType("audio/*, application/octet-stream"))
                .addEncoding("timestamp_granularities[]", repeated));
        Content answers = OASFactory.createContent()
                .addMediaType(JSON, OASFactory.createMediaType().schema(OASFactory.createSchema()
                        .oneOf(List.of(ref(TRANSCRIPTION), ref(VERBOSE_TRANSCRIPTION)))))
                .addMediaType(TEXT, OASFactory.createMediaType().schema(string(
                        "The text (response_format=text), SubRip cues (srt) or WebVTT (vtt)")))
                .addMediaType("text/event-stream", OASFactory.createMediaType().schema(string(
                        "With stream=true: server-sent events, a transcript.text.delta per segment, then "
                                + "transcript.text.done with the whole text")));
        APIResponses responses = OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse()
                        .description("The transcript, in the response_format asked for (json by default)")
                        .content(answers))
                .addAPIResponse("400", error("Bad input: a missing or invalid field, audio that cannot be decoded, "
                        + "an unknown language, a feature the provider lacks, a request that is not multipart"))
                .addAPIResponse("401", error("quarkus.asr.openai-api.api-key is set and the request has no "
                        + "Authorization: Bearer with it")
                        .addHeader("WWW-Authenticate", OASFactory.createHeader().schema(string(null))))
                .addAPIResponse("404", error("model names no served provider and there is no default one"))
                .addAPIResponse("408", error("The upload stalled or took too long; the connection is closed"))
                .addAPIResponse("413", error("The upload is larger than quarkus.asr.openai-api.max-upload-size"))
                .addAPIResponse("500", error("The model or the engine failed"))
                .addAPIResponse("503", error("Every worker is busy and the queue is full (code overloaded), or the "
                        + "provider is unavailable (code unavailable)")
                        .addHeader("Retry-After", OASFactory.createHeader()
                                .description("Seconds after which the request may be sent again")
                                .schema(OASFactory.createSchema().addType(SchemaType.INTEGER))))
                .addAPIResponse("504", error("The request timeout or the provider's timeout passed"));
        return OASFactory.createOperation()
                .operationId(id)
                .summary(summary)
                .addTag(TAG)
                .requestBody(OASFactory.createRequestBody().required(true).content(request))
                .responses(responses);
    }

    /** The live WebSocket: an upgrade, described in docs/live-api.md. */
    private static Operation liveOperation() {
        return OASFactory.createOperation()
                .operationId("liveTranscription")
                .summary("Live transcription over a WebSocket: PCM audio in, partial and final text out")
                .description("A WebSocket upgrade. Binary messages carry 16-bit little-endian mono PCM; text messages "
                        + "carry JSON control messages and the transcript events (see the extension's "
                        + "docs/live-api.md). The parameters may also come in a first start message.")
                .addTag(TAG)
                .addParameter(query("sample_rate", OASFactory.createSchema().addType(SchemaType.INTEGER)
                        .minimum(BigDecimal.valueOf(8_000)).maximum(BigDecimal.valueOf(192_000)),
                        "The sample rate of the PCM audio"))
                .addParameter(query("model", string(null), "Which provider answers, as for the HTTP endpoints"))
                .addParameter(query("language", string(null), "The spoken language, detected when absent"))
                .addParameter(query("prompt", string(null), "Text that conditions the decoder"))
                .responses(OASFactory.createAPIResponses()
                        .addAPIResponse("101", OASFactory.createAPIResponse().description("Switching to the WebSocket "
                                + "protocol. Every refusal (a missing API key, invalid parameters, a busy provider) "
                                + "comes on the socket, as an error message and the close code 4000 + the HTTP status"))
                        .addAPIResponse("400", error("Not a WebSocket upgrade")));
    }

    private static Parameter query(String name, Schema schema, String description) {
        return OASFactory.createParameter().name(name).in(Parameter.In.QUERY).schema(schema).description(description);
    }

    private Schema request(boolean translate) {
        Map<String, Schema> fields = new LinkedHashMap<>();
        fields.put("file", file());
        fields.put("model", model());
        fields.put("language", string(translate
                ? "A hint about the spoken language; the text is English"
                : "The spoken language, as an ISO 639-1 code (en, de...) or a whisper language name; detected when "
                        + "absent"));
        fields.put("prompt", string("Text that conditions the decoder (names, spellings, the previous sentence)"));
        fields.put("response_format", responseFormat());
        fields.put("temperature", unit("The sampling temperature"));
        fields.put("no_speech_threshold", unit("Not in OpenAI's API: the no-speech probability above which a window "
                + "that also decodes poorly is taken for silence"));
        fields.put("timestamp_granularities[]", OASFactory.createSchema().addType(SchemaType.ARRAY)
                .description("segment and/or word; word requires response_format=verbose_json")
                .items(OASFactory.createSchema().addType(SchemaType.STRING)
                        .enumeration(List.of("word", "segment"))));
        fields.put("stream", OASFactory.createSchema().addType(SchemaType.BOOLEAN).defaultValue(false)
                .description("Answer with server-sent events as the text is decoded; only with response_format json "
                        + "or text"));
        return OASFactory.createSchema().addType(SchemaType.OBJECT).properties(fields).addRequired("file");
    }

    private Schema inferenceRequest() {
        Map<String, Schema> fields = new LinkedHashMap<>();
        fields.put("file", file());
        fields.put("model", model());
        fields.put("language", string("The spoken language; auto (or none) detects it"));
        fields.put("translate", OASFactory.createSchema().addType(SchemaType.BOOLEAN).defaultValue(false)
                .description("true or 1 translates into English"));
        fields.put("prompt", string("Text that conditions the decoder"));
        fields.put("response_format", responseFormat());
        fields.put("temperature", unit("The sampling temperature"));
        fields.put("no_speech_thold", unit("The no-speech probability above which a window that also decodes poorly "
                + "is taken for silence"));
        return OASFactory.createSchema().addType(SchemaType.OBJECT).properties(fields).addRequired("file")
                .description("whisper-server's form; its decoding fields without an OpenAI equivalent are ignored");
    }

    private static Schema file() {
        return OASFactory.createSchema().addType(SchemaType.STRING).format("binary")
                .description("The audio, as a file part with a file name: WAV, or any format an audio decoder on the "
                        + "class path reads");
    }

    private Schema model() {
        return string("Which provider answers: one of " + served + "; any other value, or none, selects the default "
                + "provider").examples(List.copyOf(served));
    }

    private static Schema responseFormat() {
        List<Object> formats = Arrays.stream(ResponseFormat.values()).map(f -> (Object) f.value()).toList();
        return OASFactory.createSchema().addType(SchemaType.STRING).enumeration(formats)
                .defaultValue(ResponseFormat.JSON.value());
    }

    private static Schema unit(String description) {
        return OASFactory.createSchema().addType(SchemaType.NUMBER).minimum(BigDecimal.ZERO).maximum(BigDecimal.ONE)
                .description(description);
    }

    private static Schema transcription() {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).description("response_format=json")
                .addProperty("text", string("The transcript"))
                .addProperty("usage", usage())
                .addRequired("text");
    }

    private static Schema verboseTranscription() {
        Schema seconds = OASFactory.createSchema().addType(SchemaType.NUMBER);
        Schema segment = OASFactory.createSchema().addType(SchemaType.OBJECT)
                .addProperty("id", OASFactory.createSchema().addType(SchemaType.INTEGER))
                .addProperty("seek", OASFactory.createSchema().addType(SchemaType.INTEGER))
                .addProperty("start", seconds)
                .addProperty("end", seconds)
                .addProperty("text", string(null))
                .addProperty("tokens", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .items(OASFactory.createSchema().addType(SchemaType.INTEGER)))
                .addProperty("temperature", seconds)
                .addProperty("avg_logprob", seconds)
                .addProperty("compression_ratio", seconds)
                .addProperty("no_speech_prob", seconds);
        Schema word = OASFactory.createSchema().addType(SchemaType.OBJECT)
                .addProperty("word", string(null))
                .addProperty("start", seconds)
                .addProperty("end", seconds);
        return OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("response_format=verbose_json; times in seconds")
                .addProperty("task", OASFactory.createSchema().addType(SchemaType.STRING)
                        .enumeration(List.of("transcribe", "translate")))
                .addProperty("language", string("whisper's name of the language, such as english"))
                .addProperty("duration", seconds)
                .addProperty("text", string(null))
                .addProperty("segments", OASFactory.createSchema().addType(SchemaType.ARRAY).items(segment))
                .addProperty("words", OASFactory.createSchema().addType(SchemaType.ARRAY).items(word)
                        .description("With timestamp_granularities[]=word"))
                .addProperty("usage", usage())
                .addRequired("text");
    }

    private static Schema usage() {
        return OASFactory.createSchema().addType(SchemaType.OBJECT)
                .addProperty("type", OASFactory.createSchema().addType(SchemaType.STRING).enumeration(List.of("duration")))
                .addProperty("seconds", OASFactory.createSchema().addType(SchemaType.INTEGER));
    }

    private static Schema error() {
        Schema nullableString = OASFactory.createSchema().type(List.of(SchemaType.STRING, SchemaType.NULL));
        return OASFactory.createSchema().addType(SchemaType.OBJECT).description("OpenAI's error answer")
                .addProperty("error", OASFactory.createSchema().addType(SchemaType.OBJECT)
                        .addProperty("message", string(null))
                        .addProperty("type", OASFactory.createSchema().addType(SchemaType.STRING)
                                .enumeration(List.of("invalid_request_error", "server_error")))
                        .addProperty("param", nullableString)
                        .addProperty("code", nullableString)
                        .addRequired("message").addRequired("type"))
                .addRequired("error");
    }

    private static APIResponse error(String description) {
        return OASFactory.createAPIResponse().description(description).content(OASFactory.createContent()
                .addMediaType(JSON, OASFactory.createMediaType().schema(ref(ERROR))));
    }

    private static Schema string(String description) {
        Schema schema = OASFactory.createSchema().addType(SchemaType.STRING);
        return description == null ? schema : schema.description(description);
    }

    private static Schema ref(String name) {
        return OASFactory.createSchema().ref(SCHEMAS + name);
    }
}
