package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Mirror of {@code struct whisper_full_params} (whisper.h), in one layout per {@link Family} of whisper.cpp
 * releases that share it. Every field of every family is a {@link Field}, whose offset each family computes once
 * from its layout, and has a named accessor; one that the wrapped family lacks throws
 * {@link IllegalStateException}, so callers check {@link Family#hasVad()} and the like first.
 * <p>
 * Paddings are explicit so that every offset and the size equal the C struct on LP64 platforms: {@code bool}
 * is one byte, {@code enum}/{@code int}/{@code float} are 4-aligned, pointers and {@code size_t} 8-aligned
 * (StructLayoutGccTest compares them with gcc's at every release tag). The accessors read and write the wrapped
 * segment in place; it is normally the memory returned by {@code whisper_full_default_params_by_ref}.
 */
final class WhisperFullParamsStruct {

    /** {@code strategy} to {@code initial_prompt}: the same in every supported release. */
    private static final MemoryLayout[] STRATEGY_TO_INITIAL_PROMPT = {
            JAVA_INT.withName("strategy"),
            JAVA_INT.withName("n_threads"),
            JAVA_INT.withName("n_max_text_ctx"),
            JAVA_INT.withName("offset_ms"),
            JAVA_INT.withName("duration_ms"),
            JAVA_BOOLEAN.withName("translate"),
            JAVA_BOOLEAN.withName("no_context"),
            JAVA_BOOLEAN.withName("no_timestamps"),
            JAVA_BOOLEAN.withName("single_segment"),
            JAVA_BOOLEAN.withName("print_special"),
            JAVA_BOOLEAN.withName("print_progress"),
            JAVA_BOOLEAN.withName("print_realtime"),
            JAVA_BOOLEAN.withName("print_timestamps"),
            JAVA_BOOLEAN.withName("token_timestamps"),
            MemoryLayout.paddingLayout(3),
            JAVA_FLOAT.withName("thold_pt"),
            JAVA_FLOAT.withName("thold_ptsum"),
            JAVA_INT.withName("max_len"),
            JAVA_BOOLEAN.withName("split_on_word"),
            MemoryLayout.paddingLayout(3),
            JAVA_INT.withName("max_tokens"),
            JAVA_BOOLEAN.withName("debug_mode"),
            MemoryLayout.paddingLayout(3),
            JAVA_INT.withName("audio_ctx"),
            JAVA_BOOLEAN.withName("tdrz_enable"),
            MemoryLayout.paddingLayout(3),
            ADDRESS.withName("suppress_regex"),
            ADDRESS.withName("initial_prompt") };

    /**
     * {@code prompt_tokens} to {@code grammar_penalty}: the same in every supported release, except that
     * {@code suppress_nst} was called {@code suppress_non_speech_tokens} up to 1.7.3.
     */
    private static final MemoryLayout[] PROMPT_TOKENS_TO_GRAMMAR_PENALTY = {
            ADDRESS.withName("prompt_tokens"),
            JAVA_INT.withName("prompt_n_tokens"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("language"),
            JAVA_BOOLEAN.withName("detect_language"),
            JAVA_BOOLEAN.withName("suppress_blank"),
            JAVA_BOOLEAN.withName("suppress_nst"),
            MemoryLayout.paddingLayout(1),
            JAVA_FLOAT.withName("temperature"),
            JAVA_FLOAT.withName("max_initial_ts"),
            JAVA_FLOAT.withName("length_penalty"),
            JAVA_FLOAT.withName("temperature_inc"),
            JAVA_FLOAT.withName("entropy_thold"),
            JAVA_FLOAT.withName("logprob_thold"),
            JAVA_FLOAT.withName("no_speech_thold"),
            MemoryLayout.structLayout(
                    JAVA_INT.withName("best_of")).withName("greedy"),
            MemoryLayout.structLayout(
                    JAVA_INT.withName("beam_size"),
                    JAVA_FLOAT.withName("patience")).withName("beam_search"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("new_segment_callback"),
            ADDRESS.withName("new_segment_callback_user_data"),
            ADDRESS.withName("progress_callback"),
            ADDRESS.withName("progress_callback_user_data"),
            ADDRESS.withName("encoder_begin_callback"),
            ADDRESS.withName("encoder_begin_callback_user_data"),
            ADDRESS.withName("abort_callback"),
            ADDRESS.withName("abort_callback_user_data"),
            ADDRESS.withName("logits_filter_callback"),
            ADDRESS.withName("logits_filter_callback_user_data"),
            ADDRESS.withName("grammar_rules"),
            JAVA_LONG.withName("n_grammar_rules"),
            JAVA_LONG.withName("i_start_rule"),
            JAVA_FLOAT.withName("grammar_penalty") };

    /** The VAD fields appended in 1.7.6. */
    private static final MemoryLayout[] VAD = {
            JAVA_BOOLEAN.withName("vad"),
            MemoryLayout.paddingLayout(3),
            ADDRESS.withName("vad_model_path"),
            WhisperVadParamsStruct.LAYOUT.withName("vad_params") };

    /** whisper.h v1.7.0 to v1.7.5. */
    static final StructLayout LAYOUT_1_7_0 = struct(STRATEGY_TO_INITIAL_PROMPT, PROMPT_TOKENS_TO_GRAMMAR_PENALTY,
            new MemoryLayout[] { MemoryLayout.paddingLayout(4) });

    /** whisper.h v1.7.6 to v1.8.0: 1.7.0's fields, then {@code vad}, {@code vad_model_path} and {@code vad_params}. */
    static final StructLayout LAYOUT_1_7_6 = struct(STRATEGY_TO_INITIAL_PROMPT, PROMPT_TOKENS_TO_GRAMMAR_PENALTY, VAD);

    /** whisper.h v1.8.1 to v1.9.3: 1.7.6's fields with {@code carry_initial_prompt} after {@code initial_prompt}. */
    static final StructLayout LAYOUT_1_8_1 = struct(STRATEGY_TO_INITIAL_PROMPT,
            new MemoryLayout[] { JAVA_BOOLEAN.withName("carry_initial_prompt"), MemoryLayout.paddingLayout(7) },
            PROMPT_TOKENS_TO_GRAMMAR_PENALTY, VAD);

    private static StructLayout struct(MemoryLayout[]... parts) {
        return MemoryLayout.structLayout(Arrays.stream(parts).flatMap(Arrays::stream).toArray(MemoryLayout[]::new))
                .withName("whisper_full_params");
    }

    /** {@code enum whisper_sampling_strategy} values (the same in every supported release). */
    static final int STRATEGY_GREEDY = 0;
    static final int STRATEGY_BEAM_SEARCH = 1;

    /**
     * The fields of {@code whisper_full_params} over all families, in declaration order, each with its C path
     * ({@code suppress_nst} as named from 1.7.4 on; before, it had another name at the same place).
     */
    enum Field {
        STRATEGY("strategy"),
        N_THREADS("n_threads"),
        N_MAX_TEXT_CTX("n_max_text_ctx"),
        OFFSET_MS("offset_ms"),
        DURATION_MS("duration_ms"),
        TRANSLATE("translate"),
        NO_CONTEXT("no_context"),
        NO_TIMESTAMPS("no_timestamps"),
        SINGLE_SEGMENT("single_segment"),
        PRINT_SPECIAL("print_special"),
        PRINT_PROGRESS("print_progress"),
        PRINT_REALTIME("print_realtime"),
        PRINT_TIMESTAMPS("print_timestamps"),
        TOKEN_TIMESTAMPS("token_timestamps"),
        THOLD_PT("thold_pt"),
        THOLD_PTSUM("thold_ptsum"),
        MAX_LEN("max_len"),
        SPLIT_ON_WORD("split_on_word"),
        MAX_TOKENS("max_tokens"),
        DEBUG_MODE("debug_mode"),
        AUDIO_CTX("audio_ctx"),
        TDRZ_ENABLE("tdrz_enable"),
        SUPPRESS_REGEX("suppress_regex"),
        INITIAL_PROMPT("initial_prompt"),
        CARRY_INITIAL_PROMPT("carry_initial_prompt"),
        PROMPT_TOKENS("prompt_tokens"),
        PROMPT_N_TOKENS("prompt_n_tokens"),
        LANGUAGE("language"),
        DETECT_LANGUAGE("detect_language"),
        SUPPRESS_BLANK("suppress_blank"),
        SUPPRESS_NST("suppress_nst"),
        TEMPERATURE("temperature"),
        MAX_INITIAL_TS("max_initial_ts"),
        LENGTH_PENALTY("length_penalty"),
        TEMPERATURE_INC("temperature_inc"),
        ENTROPY_THOLD("entropy_thold"),
        LOGPROB_THOLD("logprob_thold"),
        NO_SPEECH_THOLD("no_speech_thold"),
        GREEDY_BEST_OF("greedy", "best_of"),
        BEAM_SEARCH_BEAM_SIZE("beam_search", "beam_size"),
        BEAM_SEARCH_PATIENCE("beam_search", "patience"),
        NEW_SEGMENT_CALLBACK("new_segment_callback"),
        NEW_SEGMENT_CALLBACK_USER_DATA("new_segment_callback_user_data"),
        PROGRESS_CALLBACK("progress_callback"),
        PROGRESS_CALLBACK_USER_DATA("progress_callback_user_data"),
        ENCODER_BEGIN_CALLBACK("encoder_begin_callback"),
        ENCODER_BEGIN_CALLBACK_USER_DATA("encoder_begin_callback_user_data"),
        ABORT_CALLBACK("abort_callback"),
        ABORT_CALLBACK_USER_DATA("abort_callback_user_data"),
        LOGITS_FILTER_CALLBACK("logits_filter_callback"),
        LOGITS_FILTER_CALLBACK_USER_DATA("logits_filter_callback_user_data"),
        GRAMMAR_RULES("grammar_rules"),
        N_GRAMMAR_RULES("n_grammar_rules"),
        I_START_RULE("i_start_rule"),
        GRAMMAR_PENALTY("grammar_penalty"),
        VAD("vad"),
        VAD_MODEL_PATH("vad_model_path"),
        /** The nested {@code whisper_vad_params}, read and written through {@link WhisperVadParamsStruct}. */
        VAD_PARAMS("vad_params");

        /** Offset of a field the family lacks. */
        private static final long ABSENT = -1;

        private final String[] path;

        Field(String... path) {
            this.path = path;
        }

        /** The C path, e.g. "greedy.best_of", for messages and for offsetof in the layout test. */
        String cPath() {
            return String.join(".", path);
        }

        /** The field's offset in {@code layout}, or {@link #ABSENT} when that layout has no such member. */
        private long offsetIn(StructLayout layout) {
            boolean present = layout.memberLayouts().stream().anyMatch(member -> member.name().orElse("").equals(path[0]));
            return present
                    ? layout.byteOffset(Stream.of(path).map(MemoryLayout.PathElement::groupElement)
                            .toArray(MemoryLayout.PathElement[]::new))
                    : ABSENT;
        }
    }

    /** The whisper.cpp releases that share one {@code whisper_full_params} layout. */
    enum Family {
        V1_7_0(NativeVersion.of(1, 7, 0), NativeVersion.of(1, 7, 5), LAYOUT_1_7_0),
        V1_7_6(NativeVersion.of(1, 7, 6), NativeVersion.of(1, 8, 0), LAYOUT_1_7_6),
        V1_8_1(NativeVersion.of(1, 8, 1), NativeVersion.of(1, 9, 3), LAYOUT_1_8_1);

        final NativeVersion first;
        final NativeVersion last;
        final StructLayout layout;
        /** The byte offset of every {@link Field} in this layout, by ordinal; computed once, here. */
        private final long[] offsets;

        Family(NativeVersion first, NativeVersion last, StructLayout layout) {
            this.first = first;
            this.last = last;
            this.layout = layout;
            this.offsets = Stream.of(Field.values()).mapToLong(field -> field.offsetIn(layout)).toArray();
        }

        /** The family of {@code version}, if this binding knows it. */
        static Optional<Family> of(NativeVersion version) {
            return Stream.of(values())
                    .filter(family -> version.compareTo(family.first) >= 0 && version.compareTo(family.last) <= 0)
                    .findFirst();
        }

        /** The supported releases, e.g. "1.7.0 to 1.7.5, 1.7.6 to 1.8.0, 1.8.1 to 1.9.3". */
        static String supported() {
            return Stream.of(values()).map(Family::range).collect(Collectors.joining(", "));
        }

        String range() {
            return first + " to " + last;
        }

        /** Whether {@code vad}, {@code vad_model_path}, {@code vad_params} and the VAD functions exist. */
        boolean hasVad() {
            return has(Field.VAD);
        }

        boolean hasCarryInitialPrompt() {
            return has(Field.CARRY_INITIAL_PROMPT);
        }

        boolean has(Field field) {
            return offsets[field.ordinal()] != Field.ABSENT;
        }

        /** The byte offset of {@code field}; {@link IllegalStateException} if this family lacks it. */
        long offset(Field field) {
            long offset = offsets[field.ordinal()];
            if (offset == Field.ABSENT) {
                throw new IllegalStateException(
                        "whisper_full_params of whisper.cpp " + range() + " has no field " + field.cPath());
            }
            return offset;
        }
    }

    private final MemorySegment segment;
    private final Family family;

    /** Wraps {@code segment}, which must be at least {@code family.layout.byteSize()} long. */
    WhisperFullParamsStruct(MemorySegment segment, Family family) {
        this.segment = segment.asSlice(0, family.layout);
        this.family = family;
    }

    /** The struct memory, for passing it by value. */
    MemorySegment segment() {
        return segment;
    }

    Family family() {
        return family;
    }

    private long offset(Field field) {
        return family.offset(field);
    }

    int strategy() {
        return segment.get(JAVA_INT, offset(Field.STRATEGY));
    }

    void strategy(int value) {
        segment.set(JAVA_INT, offset(Field.STRATEGY), value);
    }

    int nThreads() {
        return segment.get(JAVA_INT, offset(Field.N_THREADS));
    }

    void nThreads(int value) {
        segment.set(JAVA_INT, offset(Field.N_THREADS), value);
    }

    int nMaxTextCtx() {
        return segment.get(JAVA_INT, offset(Field.N_MAX_TEXT_CTX));
    }

    void nMaxTextCtx(int value) {
        segment.set(JAVA_INT, offset(Field.N_MAX_TEXT_CTX), value);
    }

    int offsetMs() {
        return segment.get(JAVA_INT, offset(Field.OFFSET_MS));
    }

    void offsetMs(int value) {
        segment.set(JAVA_INT, offset(Field.OFFSET_MS), value);
    }

    int durationMs() {
        return segment.get(JAVA_INT, offset(Field.DURATION_MS));
    }

    void durationMs(int value) {
        segment.set(JAVA_INT, offset(Field.DURATION_MS), value);
    }

    boolean translate() {
        return segment.get(JAVA_BOOLEAN, offset(Field.TRANSLATE));
    }

    void translate(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.TRANSLATE), value);
    }

    boolean noContext() {
        return segment.get(JAVA_BOOLEAN, offset(Field.NO_CONTEXT));
    }

    void noContext(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.NO_CONTEXT), value);
    }

    boolean noTimestamps() {
        return segment.get(JAVA_BOOLEAN, offset(Field.NO_TIMESTAMPS));
    }

    void noTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.NO_TIMESTAMPS), value);
    }

    boolean singleSegment() {
        return segment.get(JAVA_BOOLEAN, offset(Field.SINGLE_SEGMENT));
    }

    void singleSegment(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.SINGLE_SEGMENT), value);
    }

    boolean printSpecial() {
        return segment.get(JAVA_BOOLEAN, offset(Field.PRINT_SPECIAL));
    }

    void printSpecial(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.PRINT_SPECIAL), value);
    }

    boolean printProgress() {
        return segment.get(JAVA_BOOLEAN, offset(Field.PRINT_PROGRESS));
    }

    void printProgress(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.PRINT_PROGRESS), value);
    }

    boolean printRealtime() {
        return segment.get(JAVA_BOOLEAN, offset(Field.PRINT_REALTIME));
    }

    void printRealtime(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.PRINT_REALTIME), value);
    }

    boolean printTimestamps() {
        return segment.get(JAVA_BOOLEAN, offset(Field.PRINT_TIMESTAMPS));
    }

    void printTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.PRINT_TIMESTAMPS), value);
    }

    boolean tokenTimestamps() {
        return segment.get(JAVA_BOOLEAN, offset(Field.TOKEN_TIMESTAMPS));
    }

    void tokenTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.TOKEN_TIMESTAMPS), value);
    }

    float tholdPt() {
        return segment.get(JAVA_FLOAT, offset(Field.THOLD_PT));
    }

    void tholdPt(float value) {
        segment.set(JAVA_FLOAT, offset(Field.THOLD_PT), value);
    }

    float tholdPtsum() {
        return segment.get(JAVA_FLOAT, offset(Field.THOLD_PTSUM));
    }

    void tholdPtsum(float value) {
        segment.set(JAVA_FLOAT, offset(Field.THOLD_PTSUM), value);
    }

    int maxLen() {
        return segment.get(JAVA_INT, offset(Field.MAX_LEN));
    }

    void maxLen(int value) {
        segment.set(JAVA_INT, offset(Field.MAX_LEN), value);
    }

    boolean splitOnWord() {
        return segment.get(JAVA_BOOLEAN, offset(Field.SPLIT_ON_WORD));
    }

    void splitOnWord(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.SPLIT_ON_WORD), value);
    }

    int maxTokens() {
        return segment.get(JAVA_INT, offset(Field.MAX_TOKENS));
    }

    void maxTokens(int value) {
        segment.set(JAVA_INT, offset(Field.MAX_TOKENS), value);
    }

    boolean debugMode() {
        return segment.get(JAVA_BOOLEAN, offset(Field.DEBUG_MODE));
    }

    void debugMode(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.DEBUG_MODE), value);
    }

    int audioCtx() {
        return segment.get(JAVA_INT, offset(Field.AUDIO_CTX));
    }

    void audioCtx(int value) {
        segment.set(JAVA_INT, offset(Field.AUDIO_CTX), value);
    }

    boolean tdrzEnable() {
        return segment.get(JAVA_BOOLEAN, offset(Field.TDRZ_ENABLE));
    }

    void tdrzEnable(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.TDRZ_ENABLE), value);
    }

    /** {@code const char *}; the string must outlive the whisper_full call. */
    MemorySegment suppressRegex() {
        return segment.get(ADDRESS, offset(Field.SUPPRESS_REGEX));
    }

    void suppressRegex(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.SUPPRESS_REGEX), value);
    }

    /** {@code const char *}; the string must outlive the whisper_full call. */
    MemorySegment initialPrompt() {
        return segment.get(ADDRESS, offset(Field.INITIAL_PROMPT));
    }

    void initialPrompt(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.INITIAL_PROMPT), value);
    }

    /** {@code const whisper_token *}, {@link #promptNTokens()} elements. */
    MemorySegment promptTokens() {
        return segment.get(ADDRESS, offset(Field.PROMPT_TOKENS));
    }

    void promptTokens(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.PROMPT_TOKENS), value);
    }

    int promptNTokens() {
        return segment.get(JAVA_INT, offset(Field.PROMPT_N_TOKENS));
    }

    void promptNTokens(int value) {
        segment.set(JAVA_INT, offset(Field.PROMPT_N_TOKENS), value);
    }

    /** {@code const char *}; NULL, "" or "auto" let whisper.cpp detect the language. */
    MemorySegment language() {
        return segment.get(ADDRESS, offset(Field.LANGUAGE));
    }

    void language(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.LANGUAGE), value);
    }

    boolean detectLanguage() {
        return segment.get(JAVA_BOOLEAN, offset(Field.DETECT_LANGUAGE));
    }

    void detectLanguage(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.DETECT_LANGUAGE), value);
    }

    boolean suppressBlank() {
        return segment.get(JAVA_BOOLEAN, offset(Field.SUPPRESS_BLANK));
    }

    void suppressBlank(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.SUPPRESS_BLANK), value);
    }

    /** {@code suppress_nst}; named {@code suppress_non_speech_tokens} up to 1.7.3, same place and type. */
    boolean suppressNonSpeechTokens() {
        return segment.get(JAVA_BOOLEAN, offset(Field.SUPPRESS_NST));
    }

    void suppressNonSpeechTokens(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.SUPPRESS_NST), value);
    }

    float temperature() {
        return segment.get(JAVA_FLOAT, offset(Field.TEMPERATURE));
    }

    void temperature(float value) {
        segment.set(JAVA_FLOAT, offset(Field.TEMPERATURE), value);
    }

    float maxInitialTs() {
        return segment.get(JAVA_FLOAT, offset(Field.MAX_INITIAL_TS));
    }

    void maxInitialTs(float value) {
        segment.set(JAVA_FLOAT, offset(Field.MAX_INITIAL_TS), value);
    }

    float lengthPenalty() {
        return segment.get(JAVA_FLOAT, offset(Field.LENGTH_PENALTY));
    }

    void lengthPenalty(float value) {
        segment.set(JAVA_FLOAT, offset(Field.LENGTH_PENALTY), value);
    }

    float temperatureInc() {
        return segment.get(JAVA_FLOAT, offset(Field.TEMPERATURE_INC));
    }

    void temperatureInc(float value) {
        segment.set(JAVA_FLOAT, offset(Field.TEMPERATURE_INC), value);
    }

    float entropyThold() {
        return segment.get(JAVA_FLOAT, offset(Field.ENTROPY_THOLD));
    }

    void entropyThold(float value) {
        segment.set(JAVA_FLOAT, offset(Field.ENTROPY_THOLD), value);
    }

    float logprobThold() {
        return segment.get(JAVA_FLOAT, offset(Field.LOGPROB_THOLD));
    }

    void logprobThold(float value) {
        segment.set(JAVA_FLOAT, offset(Field.LOGPROB_THOLD), value);
    }

    float noSpeechThold() {
        return segment.get(JAVA_FLOAT, offset(Field.NO_SPEECH_THOLD));
    }

    void noSpeechThold(float value) {
        segment.set(JAVA_FLOAT, offset(Field.NO_SPEECH_THOLD), value);
    }

    int greedyBestOf() {
        return segment.get(JAVA_INT, offset(Field.GREEDY_BEST_OF));
    }

    void greedyBestOf(int value) {
        segment.set(JAVA_INT, offset(Field.GREEDY_BEST_OF), value);
    }

    int beamSearchBeamSize() {
        return segment.get(JAVA_INT, offset(Field.BEAM_SEARCH_BEAM_SIZE));
    }

    void beamSearchBeamSize(int value) {
        segment.set(JAVA_INT, offset(Field.BEAM_SEARCH_BEAM_SIZE), value);
    }

    float beamSearchPatience() {
        return segment.get(JAVA_FLOAT, offset(Field.BEAM_SEARCH_PATIENCE));
    }

    void beamSearchPatience(float value) {
        segment.set(JAVA_FLOAT, offset(Field.BEAM_SEARCH_PATIENCE), value);
    }

    /** {@code void (*)(struct whisper_context *, struct whisper_state *, int n_new, void * user_data)} */
    MemorySegment newSegmentCallback() {
        return segment.get(ADDRESS, offset(Field.NEW_SEGMENT_CALLBACK));
    }

    void newSegmentCallback(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.NEW_SEGMENT_CALLBACK), value);
    }

    MemorySegment newSegmentCallbackUserData() {
        return segment.get(ADDRESS, offset(Field.NEW_SEGMENT_CALLBACK_USER_DATA));
    }

    void newSegmentCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.NEW_SEGMENT_CALLBACK_USER_DATA), value);
    }

    /** {@code void (*)(struct whisper_context *, struct whisper_state *, int progress, void * user_data)} */
    MemorySegment progressCallback() {
        return segment.get(ADDRESS, offset(Field.PROGRESS_CALLBACK));
    }

    void progressCallback(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.PROGRESS_CALLBACK), value);
    }

    MemorySegment progressCallbackUserData() {
        return segment.get(ADDRESS, offset(Field.PROGRESS_CALLBACK_USER_DATA));
    }

    void progressCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.PROGRESS_CALLBACK_USER_DATA), value);
    }

    /** {@code bool (*)(struct whisper_context *, struct whisper_state *, void * user_data)}; false aborts. */
    MemorySegment encoderBeginCallback() {
        return segment.get(ADDRESS, offset(Field.ENCODER_BEGIN_CALLBACK));
    }

    void encoderBeginCallback(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.ENCODER_BEGIN_CALLBACK), value);
    }

    MemorySegment encoderBeginCallbackUserData() {
        return segment.get(ADDRESS, offset(Field.ENCODER_BEGIN_CALLBACK_USER_DATA));
    }

    void encoderBeginCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.ENCODER_BEGIN_CALLBACK_USER_DATA), value);
    }

    /** {@code ggml_abort_callback}: {@code bool (*)(void * user_data)}; true aborts. */
    MemorySegment abortCallback() {
        return segment.get(ADDRESS, offset(Field.ABORT_CALLBACK));
    }

    void abortCallback(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.ABORT_CALLBACK), value);
    }

    MemorySegment abortCallbackUserData() {
        return segment.get(ADDRESS, offset(Field.ABORT_CALLBACK_USER_DATA));
    }

    void abortCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.ABORT_CALLBACK_USER_DATA), value);
    }

    /** {@code whisper_logits_filter_callback} */
    MemorySegment logitsFilterCallback() {
        return segment.get(ADDRESS, offset(Field.LOGITS_FILTER_CALLBACK));
    }

    void logitsFilterCallback(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.LOGITS_FILTER_CALLBACK), value);
    }

    MemorySegment logitsFilterCallbackUserData() {
        return segment.get(ADDRESS, offset(Field.LOGITS_FILTER_CALLBACK_USER_DATA));
    }

    void logitsFilterCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.LOGITS_FILTER_CALLBACK_USER_DATA), value);
    }

    /** {@code const whisper_grammar_element **}, {@link #nGrammarRules()} rules. */
    MemorySegment grammarRules() {
        return segment.get(ADDRESS, offset(Field.GRAMMAR_RULES));
    }

    void grammarRules(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.GRAMMAR_RULES), value);
    }

    long nGrammarRules() {
        return segment.get(JAVA_LONG, offset(Field.N_GRAMMAR_RULES));
    }

    void nGrammarRules(long value) {
        segment.set(JAVA_LONG, offset(Field.N_GRAMMAR_RULES), value);
    }

    long iStartRule() {
        return segment.get(JAVA_LONG, offset(Field.I_START_RULE));
    }

    void iStartRule(long value) {
        segment.set(JAVA_LONG, offset(Field.I_START_RULE), value);
    }

    float grammarPenalty() {
        return segment.get(JAVA_FLOAT, offset(Field.GRAMMAR_PENALTY));
    }

    void grammarPenalty(float value) {
        segment.set(JAVA_FLOAT, offset(Field.GRAMMAR_PENALTY), value);
    }

    /** {@code bool carry_initial_prompt}, from 1.8.1: prepend {@code initial_prompt} to every decoding window. */
    boolean carryInitialPrompt() {
        return segment.get(JAVA_BOOLEAN, offset(Field.CARRY_INITIAL_PROMPT));
    }

    void carryInitialPrompt(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.CARRY_INITIAL_PROMPT), value);
    }

    /** {@code bool vad}, from 1.7.6; only whisper_full (on the context's own state) applies it. */
    boolean vad() {
        return segment.get(JAVA_BOOLEAN, offset(Field.VAD));
    }

    void vad(boolean value) {
        segment.set(JAVA_BOOLEAN, offset(Field.VAD), value);
    }

    /** {@code const char * vad_model_path}, from 1.7.6. */
    MemorySegment vadModelPath() {
        return segment.get(ADDRESS, offset(Field.VAD_MODEL_PATH));
    }

    void vadModelPath(MemorySegment value) {
        segment.set(ADDRESS, offset(Field.VAD_MODEL_PATH), value);
    }

    /** {@code whisper_vad_params vad_params}, from 1.7.6: a view of the nested struct, read and written in place. */
    WhisperVadParamsStruct vadParams() {
        return new WhisperVadParamsStruct(segment.asSlice(offset(Field.VAD_PARAMS), WhisperVadParamsStruct.LAYOUT));
    }
}
