package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Mirror of {@code struct whisper_full_params} as declared in whisper.h of whisper.cpp <b>v1.7.1</b>
 * (binary-identical in 1.7.0 to 1.7.5; 1.7.6 and later have a different layout and need their own mirror).
 * <p>
 * Paddings are explicit so that every offset and {@link #LAYOUT}{@code .byteSize()} equal the C struct on
 * LP64 platforms: {@code bool} is one byte, {@code enum}/{@code int}/{@code float} are 4-aligned,
 * pointers and {@code size_t} 8-aligned. The accessors read and write the wrapped segment in place; it is
 * normally the memory returned by {@code whisper_full_default_params_by_ref}.
 */
final class WhisperFullParamsStruct {

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
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
            ADDRESS.withName("initial_prompt"),
            ADDRESS.withName("prompt_tokens"),
            JAVA_INT.withName("prompt_n_tokens"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("language"),
            JAVA_BOOLEAN.withName("detect_language"),
            JAVA_BOOLEAN.withName("suppress_blank"),
            JAVA_BOOLEAN.withName("suppress_non_speech_tokens"),
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
            JAVA_FLOAT.withName("grammar_penalty"),
            MemoryLayout.paddingLayout(4))
            .withName("whisper_full_params");

    /** {@code enum whisper_sampling_strategy} values. */
    static final int STRATEGY_GREEDY = 0;
    static final int STRATEGY_BEAM_SEARCH = 1;

    private static final long STRATEGY = offset("strategy");
    private static final long N_THREADS = offset("n_threads");
    private static final long N_MAX_TEXT_CTX = offset("n_max_text_ctx");
    private static final long OFFSET_MS = offset("offset_ms");
    private static final long DURATION_MS = offset("duration_ms");
    private static final long TRANSLATE = offset("translate");
    private static final long NO_CONTEXT = offset("no_context");
    private static final long NO_TIMESTAMPS = offset("no_timestamps");
    private static final long SINGLE_SEGMENT = offset("single_segment");
    private static final long PRINT_SPECIAL = offset("print_special");
    private static final long PRINT_PROGRESS = offset("print_progress");
    private static final long PRINT_REALTIME = offset("print_realtime");
    private static final long PRINT_TIMESTAMPS = offset("print_timestamps");
    private static final long TOKEN_TIMESTAMPS = offset("token_timestamps");
    private static final long THOLD_PT = offset("thold_pt");
    private static final long THOLD_PTSUM = offset("thold_ptsum");
    private static final long MAX_LEN = offset("max_len");
    private static final long SPLIT_ON_WORD = offset("split_on_word");
    private static final long MAX_TOKENS = offset("max_tokens");
    private static final long DEBUG_MODE = offset("debug_mode");
    private static final long AUDIO_CTX = offset("audio_ctx");
    private static final long TDRZ_ENABLE = offset("tdrz_enable");
    private static final long SUPPRESS_REGEX = offset("suppress_regex");
    private static final long INITIAL_PROMPT = offset("initial_prompt");
    private static final long PROMPT_TOKENS = offset("prompt_tokens");
    private static final long PROMPT_N_TOKENS = offset("prompt_n_tokens");
    private static final long LANGUAGE = offset("language");
    private static final long DETECT_LANGUAGE = offset("detect_language");
    private static final long SUPPRESS_BLANK = offset("suppress_blank");
    private static final long SUPPRESS_NON_SPEECH_TOKENS = offset("suppress_non_speech_tokens");
    private static final long TEMPERATURE = offset("temperature");
    private static final long MAX_INITIAL_TS = offset("max_initial_ts");
    private static final long LENGTH_PENALTY = offset("length_penalty");
    private static final long TEMPERATURE_INC = offset("temperature_inc");
    private static final long ENTROPY_THOLD = offset("entropy_thold");
    private static final long LOGPROB_THOLD = offset("logprob_thold");
    private static final long NO_SPEECH_THOLD = offset("no_speech_thold");
    private static final long GREEDY_BEST_OF = LAYOUT.byteOffset(groupElement("greedy"), groupElement("best_of"));
    private static final long BEAM_SEARCH_BEAM_SIZE = LAYOUT.byteOffset(groupElement("beam_search"),
            groupElement("beam_size"));
    private static final long BEAM_SEARCH_PATIENCE = LAYOUT.byteOffset(groupElement("beam_search"),
            groupElement("patience"));
    private static final long NEW_SEGMENT_CALLBACK = offset("new_segment_callback");
    private static final long NEW_SEGMENT_CALLBACK_USER_DATA = offset("new_segment_callback_user_data");
    private static final long PROGRESS_CALLBACK = offset("progress_callback");
    private static final long PROGRESS_CALLBACK_USER_DATA = offset("progress_callback_user_data");
    private static final long ENCODER_BEGIN_CALLBACK = offset("encoder_begin_callback");
    private static final long ENCODER_BEGIN_CALLBACK_USER_DATA = offset("encoder_begin_callback_user_data");
    private static final long ABORT_CALLBACK = offset("abort_callback");
    private static final long ABORT_CALLBACK_USER_DATA = offset("abort_callback_user_data");
    private static final long LOGITS_FILTER_CALLBACK = offset("logits_filter_callback");
    private static final long LOGITS_FILTER_CALLBACK_USER_DATA = offset("logits_filter_callback_user_data");
    private static final long GRAMMAR_RULES = offset("grammar_rules");
    private static final long N_GRAMMAR_RULES = offset("n_grammar_rules");
    private static final long I_START_RULE = offset("i_start_rule");
    private static final long GRAMMAR_PENALTY = offset("grammar_penalty");

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private final MemorySegment segment;

    /** Wraps {@code segment}, which must be at least {@code LAYOUT.byteSize()} long. */
    WhisperFullParamsStruct(MemorySegment segment) {
        this.segment = segment.asSlice(0, LAYOUT);
    }

    /** The struct memory, for passing it by value. */
    MemorySegment segment() {
        return segment;
    }

    int strategy() {
        return segment.get(JAVA_INT, STRATEGY);
    }

    void strategy(int value) {
        segment.set(JAVA_INT, STRATEGY, value);
    }

    int nThreads() {
        return segment.get(JAVA_INT, N_THREADS);
    }

    void nThreads(int value) {
        segment.set(JAVA_INT, N_THREADS, value);
    }

    int nMaxTextCtx() {
        return segment.get(JAVA_INT, N_MAX_TEXT_CTX);
    }

    void nMaxTextCtx(int value) {
        segment.set(JAVA_INT, N_MAX_TEXT_CTX, value);
    }

    int offsetMs() {
        return segment.get(JAVA_INT, OFFSET_MS);
    }

    void offsetMs(int value) {
        segment.set(JAVA_INT, OFFSET_MS, value);
    }

    int durationMs() {
        return segment.get(JAVA_INT, DURATION_MS);
    }

    void durationMs(int value) {
        segment.set(JAVA_INT, DURATION_MS, value);
    }

    boolean translate() {
        return segment.get(JAVA_BOOLEAN, TRANSLATE);
    }

    void translate(boolean value) {
        segment.set(JAVA_BOOLEAN, TRANSLATE, value);
    }

    boolean noContext() {
        return segment.get(JAVA_BOOLEAN, NO_CONTEXT);
    }

    void noContext(boolean value) {
        segment.set(JAVA_BOOLEAN, NO_CONTEXT, value);
    }

    boolean noTimestamps() {
        return segment.get(JAVA_BOOLEAN, NO_TIMESTAMPS);
    }

    void noTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, NO_TIMESTAMPS, value);
    }

    boolean singleSegment() {
        return segment.get(JAVA_BOOLEAN, SINGLE_SEGMENT);
    }

    void singleSegment(boolean value) {
        segment.set(JAVA_BOOLEAN, SINGLE_SEGMENT, value);
    }

    boolean printSpecial() {
        return segment.get(JAVA_BOOLEAN, PRINT_SPECIAL);
    }

    void printSpecial(boolean value) {
        segment.set(JAVA_BOOLEAN, PRINT_SPECIAL, value);
    }

    boolean printProgress() {
        return segment.get(JAVA_BOOLEAN, PRINT_PROGRESS);
    }

    void printProgress(boolean value) {
        segment.set(JAVA_BOOLEAN, PRINT_PROGRESS, value);
    }

    boolean printRealtime() {
        return segment.get(JAVA_BOOLEAN, PRINT_REALTIME);
    }

    void printRealtime(boolean value) {
        segment.set(JAVA_BOOLEAN, PRINT_REALTIME, value);
    }

    boolean printTimestamps() {
        return segment.get(JAVA_BOOLEAN, PRINT_TIMESTAMPS);
    }

    void printTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, PRINT_TIMESTAMPS, value);
    }

    boolean tokenTimestamps() {
        return segment.get(JAVA_BOOLEAN, TOKEN_TIMESTAMPS);
    }

    void tokenTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, TOKEN_TIMESTAMPS, value);
    }

    float tholdPt() {
        return segment.get(JAVA_FLOAT, THOLD_PT);
    }

    void tholdPt(float value) {
        segment.set(JAVA_FLOAT, THOLD_PT, value);
    }

    float tholdPtsum() {
        return segment.get(JAVA_FLOAT, THOLD_PTSUM);
    }

    void tholdPtsum(float value) {
        segment.set(JAVA_FLOAT, THOLD_PTSUM, value);
    }

    int maxLen() {
        return segment.get(JAVA_INT, MAX_LEN);
    }

    void maxLen(int value) {
        segment.set(JAVA_INT, MAX_LEN, value);
    }

    boolean splitOnWord() {
        return segment.get(JAVA_BOOLEAN, SPLIT_ON_WORD);
    }

    void splitOnWord(boolean value) {
        segment.set(JAVA_BOOLEAN, SPLIT_ON_WORD, value);
    }

    int maxTokens() {
        return segment.get(JAVA_INT, MAX_TOKENS);
    }

    void maxTokens(int value) {
        segment.set(JAVA_INT, MAX_TOKENS, value);
    }

    boolean debugMode() {
        return segment.get(JAVA_BOOLEAN, DEBUG_MODE);
    }

    void debugMode(boolean value) {
        segment.set(JAVA_BOOLEAN, DEBUG_MODE, value);
    }

    int audioCtx() {
        return segment.get(JAVA_INT, AUDIO_CTX);
    }

    void audioCtx(int value) {
        segment.set(JAVA_INT, AUDIO_CTX, value);
    }

    boolean tdrzEnable() {
        return segment.get(JAVA_BOOLEAN, TDRZ_ENABLE);
    }

    void tdrzEnable(boolean value) {
        segment.set(JAVA_BOOLEAN, TDRZ_ENABLE, value);
    }

    /** {@code const char *}; the string must outlive the whisper_full call. */
    MemorySegment suppressRegex() {
        return segment.get(ADDRESS, SUPPRESS_REGEX);
    }

    void suppressRegex(MemorySegment value) {
        segment.set(ADDRESS, SUPPRESS_REGEX, value);
    }

    /** {@code const char *}; the string must outlive the whisper_full call. */
    MemorySegment initialPrompt() {
        return segment.get(ADDRESS, INITIAL_PROMPT);
    }

    void initialPrompt(MemorySegment value) {
        segment.set(ADDRESS, INITIAL_PROMPT, value);
    }

    /** {@code const whisper_token *}, {@link #promptNTokens()} elements. */
    MemorySegment promptTokens() {
        return segment.get(ADDRESS, PROMPT_TOKENS);
    }

    void promptTokens(MemorySegment value) {
        segment.set(ADDRESS, PROMPT_TOKENS, value);
    }

    int promptNTokens() {
        return segment.get(JAVA_INT, PROMPT_N_TOKENS);
    }

    void promptNTokens(int value) {
        segment.set(JAVA_INT, PROMPT_N_TOKENS, value);
    }

    /** {@code const char *}; NULL, "" or "auto" let whisper.cpp detect the language. */
    MemorySegment language() {
        return segment.get(ADDRESS, LANGUAGE);
    }

    void language(MemorySegment value) {
        segment.set(ADDRESS, LANGUAGE, value);
    }

    boolean detectLanguage() {
        return segment.get(JAVA_BOOLEAN, DETECT_LANGUAGE);
    }

    void detectLanguage(boolean value) {
        segment.set(JAVA_BOOLEAN, DETECT_LANGUAGE, value);
    }

    boolean suppressBlank() {
        return segment.get(JAVA_BOOLEAN, SUPPRESS_BLANK);
    }

    void suppressBlank(boolean value) {
        segment.set(JAVA_BOOLEAN, SUPPRESS_BLANK, value);
    }

    /** Renamed {@code suppress_nst} in 1.7.3, same place and type. */
    boolean suppressNonSpeechTokens() {
        return segment.get(JAVA_BOOLEAN, SUPPRESS_NON_SPEECH_TOKENS);
    }

    void suppressNonSpeechTokens(boolean value) {
        segment.set(JAVA_BOOLEAN, SUPPRESS_NON_SPEECH_TOKENS, value);
    }

    float temperature() {
        return segment.get(JAVA_FLOAT, TEMPERATURE);
    }

    void temperature(float value) {
        segment.set(JAVA_FLOAT, TEMPERATURE, value);
    }

    float maxInitialTs() {
        return segment.get(JAVA_FLOAT, MAX_INITIAL_TS);
    }

    void maxInitialTs(float value) {
        segment.set(JAVA_FLOAT, MAX_INITIAL_TS, value);
    }

    float lengthPenalty() {
        return segment.get(JAVA_FLOAT, LENGTH_PENALTY);
    }

    void lengthPenalty(float value) {
        segment.set(JAVA_FLOAT, LENGTH_PENALTY, value);
    }

    float temperatureInc() {
        return segment.get(JAVA_FLOAT, TEMPERATURE_INC);
    }

    void temperatureInc(float value) {
        segment.set(JAVA_FLOAT, TEMPERATURE_INC, value);
    }

    float entropyThold() {
        return segment.get(JAVA_FLOAT, ENTROPY_THOLD);
    }

    void entropyThold(float value) {
        segment.set(JAVA_FLOAT, ENTROPY_THOLD, value);
    }

    float logprobThold() {
        return segment.get(JAVA_FLOAT, LOGPROB_THOLD);
    }

    void logprobThold(float value) {
        segment.set(JAVA_FLOAT, LOGPROB_THOLD, value);
    }

    float noSpeechThold() {
        return segment.get(JAVA_FLOAT, NO_SPEECH_THOLD);
    }

    void noSpeechThold(float value) {
        segment.set(JAVA_FLOAT, NO_SPEECH_THOLD, value);
    }

    int greedyBestOf() {
        return segment.get(JAVA_INT, GREEDY_BEST_OF);
    }

    void greedyBestOf(int value) {
        segment.set(JAVA_INT, GREEDY_BEST_OF, value);
    }

    int beamSearchBeamSize() {
        return segment.get(JAVA_INT, BEAM_SEARCH_BEAM_SIZE);
    }

    void beamSearchBeamSize(int value) {
        segment.set(JAVA_INT, BEAM_SEARCH_BEAM_SIZE, value);
    }

    float beamSearchPatience() {
        return segment.get(JAVA_FLOAT, BEAM_SEARCH_PATIENCE);
    }

    void beamSearchPatience(float value) {
        segment.set(JAVA_FLOAT, BEAM_SEARCH_PATIENCE, value);
    }

    /** {@code void (*)(struct whisper_context *, struct whisper_state *, int n_new, void * user_data)} */
    MemorySegment newSegmentCallback() {
        return segment.get(ADDRESS, NEW_SEGMENT_CALLBACK);
    }

    void newSegmentCallback(MemorySegment value) {
        segment.set(ADDRESS, NEW_SEGMENT_CALLBACK, value);
    }

    MemorySegment newSegmentCallbackUserData() {
        return segment.get(ADDRESS, NEW_SEGMENT_CALLBACK_USER_DATA);
    }

    void newSegmentCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, NEW_SEGMENT_CALLBACK_USER_DATA, value);
    }

    /** {@code void (*)(struct whisper_context *, struct whisper_state *, int progress, void * user_data)} */
    MemorySegment progressCallback() {
        return segment.get(ADDRESS, PROGRESS_CALLBACK);
    }

    void progressCallback(MemorySegment value) {
        segment.set(ADDRESS, PROGRESS_CALLBACK, value);
    }

    MemorySegment progressCallbackUserData() {
        return segment.get(ADDRESS, PROGRESS_CALLBACK_USER_DATA);
    }

    void progressCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, PROGRESS_CALLBACK_USER_DATA, value);
    }

    /** {@code bool (*)(struct whisper_context *, struct whisper_state *, void * user_data)}; false aborts. */
    MemorySegment encoderBeginCallback() {
        return segment.get(ADDRESS, ENCODER_BEGIN_CALLBACK);
    }

    void encoderBeginCallback(MemorySegment value) {
        segment.set(ADDRESS, ENCODER_BEGIN_CALLBACK, value);
    }

    MemorySegment encoderBeginCallbackUserData() {
        return segment.get(ADDRESS, ENCODER_BEGIN_CALLBACK_USER_DATA);
    }

    void encoderBeginCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, ENCODER_BEGIN_CALLBACK_USER_DATA, value);
    }

    /** {@code ggml_abort_callback}: {@code bool (*)(void * user_data)}; true aborts. */
    MemorySegment abortCallback() {
        return segment.get(ADDRESS, ABORT_CALLBACK);
    }

    void abortCallback(MemorySegment value) {
        segment.set(ADDRESS, ABORT_CALLBACK, value);
    }

    MemorySegment abortCallbackUserData() {
        return segment.get(ADDRESS, ABORT_CALLBACK_USER_DATA);
    }

    void abortCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, ABORT_CALLBACK_USER_DATA, value);
    }

    /** {@code whisper_logits_filter_callback} */
    MemorySegment logitsFilterCallback() {
        return segment.get(ADDRESS, LOGITS_FILTER_CALLBACK);
    }

    void logitsFilterCallback(MemorySegment value) {
        segment.set(ADDRESS, LOGITS_FILTER_CALLBACK, value);
    }

    MemorySegment logitsFilterCallbackUserData() {
        return segment.get(ADDRESS, LOGITS_FILTER_CALLBACK_USER_DATA);
    }

    void logitsFilterCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, LOGITS_FILTER_CALLBACK_USER_DATA, value);
    }

    /** {@code const whisper_grammar_element **}, {@link #nGrammarRules()} rules. */
    MemorySegment grammarRules() {
        return segment.get(ADDRESS, GRAMMAR_RULES);
    }

    void grammarRules(MemorySegment value) {
        segment.set(ADDRESS, GRAMMAR_RULES, value);
    }

    long nGrammarRules() {
        return segment.get(JAVA_LONG, N_GRAMMAR_RULES);
    }

    void nGrammarRules(long value) {
        segment.set(JAVA_LONG, N_GRAMMAR_RULES, value);
    }

    long iStartRule() {
        return segment.get(JAVA_LONG, I_START_RULE);
    }

    void iStartRule(long value) {
        segment.set(JAVA_LONG, I_START_RULE, value);
    }

    float grammarPenalty() {
        return segment.get(JAVA_FLOAT, GRAMMAR_PENALTY);
    }

    void grammarPenalty(float value) {
        segment.set(JAVA_FLOAT, GRAMMAR_PENALTY, value);
    }
}
