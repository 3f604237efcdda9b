package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Mirror of {@code struct whisper_full_params} (whisper.h), in one layout per {@link Family} of whisper.cpp
 * releases that share it. Every field of every family has a named accessor; one that the wrapped family lacks
 * throws {@link IllegalStateException}, so callers check {@link Family#hasVad()} and the like first.
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

    /** The whisper.cpp releases that share one {@code whisper_full_params} layout. */
    enum Family {
        V1_7_0(NativeVersion.of(1, 7, 0), NativeVersion.of(1, 7, 5), LAYOUT_1_7_0),
        V1_7_6(NativeVersion.of(1, 7, 6), NativeVersion.of(1, 8, 0), LAYOUT_1_7_6),
        V1_8_1(NativeVersion.of(1, 8, 1), NativeVersion.of(1, 9, 3), LAYOUT_1_8_1);

        final NativeVersion first;
        final NativeVersion last;
        final StructLayout layout;
        /** Byte offset of every field, by its C path ("n_threads", "greedy.best_of", "vad_params.threshold"). */
        private final Map<String, Long> offsets = new HashMap<>();

        Family(NativeVersion first, NativeVersion last, StructLayout layout) {
            this.first = first;
            this.last = last;
            this.layout = layout;
            collectOffsets(layout, "", 0);
        }

        private void collectOffsets(GroupLayout group, String prefix, long base) {
            long offset = base;
            for (MemoryLayout member : group.memberLayouts()) {
                if (!(member instanceof PaddingLayout)) {
                    String path = prefix + member.name().orElseThrow();
                    offsets.put(path, offset);
                    if (member instanceof GroupLayout nested) {
                        collectOffsets(nested, path + ".", offset);
                    }
                }
                offset += member.byteSize();
            }
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
            return offsets.containsKey("vad");
        }

        boolean hasCarryInitialPrompt() {
            return offsets.containsKey("carry_initial_prompt");
        }

        private long offset(String field) {
            Long offset = offsets.get(field);
            if (offset == null) {
                throw new IllegalStateException("whisper_full_params of whisper.cpp " + range() + " has no field " + field);
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

    private long offset(String field) {
        return family.offset(field);
    }

    int strategy() {
        return segment.get(JAVA_INT, offset("strategy"));
    }

    void strategy(int value) {
        segment.set(JAVA_INT, offset("strategy"), value);
    }

    int nThreads() {
        return segment.get(JAVA_INT, offset("n_threads"));
    }

    void nThreads(int value) {
        segment.set(JAVA_INT, offset("n_threads"), value);
    }

    int nMaxTextCtx() {
        return segment.get(JAVA_INT, offset("n_max_text_ctx"));
    }

    void nMaxTextCtx(int value) {
        segment.set(JAVA_INT, offset("n_max_text_ctx"), value);
    }

    int offsetMs() {
        return segment.get(JAVA_INT, offset("offset_ms"));
    }

    void offsetMs(int value) {
        segment.set(JAVA_INT, offset("offset_ms"), value);
    }

    int durationMs() {
        return segment.get(JAVA_INT, offset("duration_ms"));
    }

    void durationMs(int value) {
        segment.set(JAVA_INT, offset("duration_ms"), value);
    }

    boolean translate() {
        return segment.get(JAVA_BOOLEAN, offset("translate"));
    }

    void translate(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("translate"), value);
    }

    boolean noContext() {
        return segment.get(JAVA_BOOLEAN, offset("no_context"));
    }

    void noContext(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("no_context"), value);
    }

    boolean noTimestamps() {
        return segment.get(JAVA_BOOLEAN, offset("no_timestamps"));
    }

    void noTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("no_timestamps"), value);
    }

    boolean singleSegment() {
        return segment.get(JAVA_BOOLEAN, offset("single_segment"));
    }

    void singleSegment(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("single_segment"), value);
    }

    boolean printSpecial() {
        return segment.get(JAVA_BOOLEAN, offset("print_special"));
    }

    void printSpecial(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("print_special"), value);
    }

    boolean printProgress() {
        return segment.get(JAVA_BOOLEAN, offset("print_progress"));
    }

    void printProgress(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("print_progress"), value);
    }

    boolean printRealtime() {
        return segment.get(JAVA_BOOLEAN, offset("print_realtime"));
    }

    void printRealtime(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("print_realtime"), value);
    }

    boolean printTimestamps() {
        return segment.get(JAVA_BOOLEAN, offset("print_timestamps"));
    }

    void printTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("print_timestamps"), value);
    }

    boolean tokenTimestamps() {
        return segment.get(JAVA_BOOLEAN, offset("token_timestamps"));
    }

    void tokenTimestamps(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("token_timestamps"), value);
    }

    float tholdPt() {
        return segment.get(JAVA_FLOAT, offset("thold_pt"));
    }

    void tholdPt(float value) {
        segment.set(JAVA_FLOAT, offset("thold_pt"), value);
    }

    float tholdPtsum() {
        return segment.get(JAVA_FLOAT, offset("thold_ptsum"));
    }

    void tholdPtsum(float value) {
        segment.set(JAVA_FLOAT, offset("thold_ptsum"), value);
    }

    int maxLen() {
        return segment.get(JAVA_INT, offset("max_len"));
    }

    void maxLen(int value) {
        segment.set(JAVA_INT, offset("max_len"), value);
    }

    boolean splitOnWord() {
        return segment.get(JAVA_BOOLEAN, offset("split_on_word"));
    }

    void splitOnWord(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("split_on_word"), value);
    }

    int maxTokens() {
        return segment.get(JAVA_INT, offset("max_tokens"));
    }

    void maxTokens(int value) {
        segment.set(JAVA_INT, offset("max_tokens"), value);
    }

    boolean debugMode() {
        return segment.get(JAVA_BOOLEAN, offset("debug_mode"));
    }

    void debugMode(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("debug_mode"), value);
    }

    int audioCtx() {
        return segment.get(JAVA_INT, offset("audio_ctx"));
    }

    void audioCtx(int value) {
        segment.set(JAVA_INT, offset("audio_ctx"), value);
    }

    boolean tdrzEnable() {
        return segment.get(JAVA_BOOLEAN, offset("tdrz_enable"));
    }

    void tdrzEnable(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("tdrz_enable"), value);
    }

    /** {@code const char *}; the string must outlive the whisper_full call. */
    MemorySegment suppressRegex() {
        return segment.get(ADDRESS, offset("suppress_regex"));
    }

    void suppressRegex(MemorySegment value) {
        segment.set(ADDRESS, offset("suppress_regex"), value);
    }

    /** {@code const char *}; the string must outlive the whisper_full call. */
    MemorySegment initialPrompt() {
        return segment.get(ADDRESS, offset("initial_prompt"));
    }

    void initialPrompt(MemorySegment value) {
        segment.set(ADDRESS, offset("initial_prompt"), value);
    }

    /** {@code const whisper_token *}, {@link #promptNTokens()} elements. */
    MemorySegment promptTokens() {
        return segment.get(ADDRESS, offset("prompt_tokens"));
    }

    void promptTokens(MemorySegment value) {
        segment.set(ADDRESS, offset("prompt_tokens"), value);
    }

    int promptNTokens() {
        return segment.get(JAVA_INT, offset("prompt_n_tokens"));
    }

    void promptNTokens(int value) {
        segment.set(JAVA_INT, offset("prompt_n_tokens"), value);
    }

    /** {@code const char *}; NULL, "" or "auto" let whisper.cpp detect the language. */
    MemorySegment language() {
        return segment.get(ADDRESS, offset("language"));
    }

    void language(MemorySegment value) {
        segment.set(ADDRESS, offset("language"), value);
    }

    boolean detectLanguage() {
        return segment.get(JAVA_BOOLEAN, offset("detect_language"));
    }

    void detectLanguage(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("detect_language"), value);
    }

    boolean suppressBlank() {
        return segment.get(JAVA_BOOLEAN, offset("suppress_blank"));
    }

    void suppressBlank(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("suppress_blank"), value);
    }

    /** {@code suppress_nst}; named {@code suppress_non_speech_tokens} up to 1.7.3, same place and type. */
    boolean suppressNonSpeechTokens() {
        return segment.get(JAVA_BOOLEAN, offset("suppress_nst"));
    }

    void suppressNonSpeechTokens(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("suppress_nst"), value);
    }

    float temperature() {
        return segment.get(JAVA_FLOAT, offset("temperature"));
    }

    void temperature(float value) {
        segment.set(JAVA_FLOAT, offset("temperature"), value);
    }

    float maxInitialTs() {
        return segment.get(JAVA_FLOAT, offset("max_initial_ts"));
    }

    void maxInitialTs(float value) {
        segment.set(JAVA_FLOAT, offset("max_initial_ts"), value);
    }

    float lengthPenalty() {
        return segment.get(JAVA_FLOAT, offset("length_penalty"));
    }

    void lengthPenalty(float value) {
        segment.set(JAVA_FLOAT, offset("length_penalty"), value);
    }

    float temperatureInc() {
        return segment.get(JAVA_FLOAT, offset("temperature_inc"));
    }

    void temperatureInc(float value) {
        segment.set(JAVA_FLOAT, offset("temperature_inc"), value);
    }

    float entropyThold() {
        return segment.get(JAVA_FLOAT, offset("entropy_thold"));
    }

    void entropyThold(float value) {
        segment.set(JAVA_FLOAT, offset("entropy_thold"), value);
    }

    float logprobThold() {
        return segment.get(JAVA_FLOAT, offset("logprob_thold"));
    }

    void logprobThold(float value) {
        segment.set(JAVA_FLOAT, offset("logprob_thold"), value);
    }

    float noSpeechThold() {
        return segment.get(JAVA_FLOAT, offset("no_speech_thold"));
    }

    void noSpeechThold(float value) {
        segment.set(JAVA_FLOAT, offset("no_speech_thold"), value);
    }

    int greedyBestOf() {
        return segment.get(JAVA_INT, offset("greedy.best_of"));
    }

    void greedyBestOf(int value) {
        segment.set(JAVA_INT, offset("greedy.best_of"), value);
    }

    int beamSearchBeamSize() {
        return segment.get(JAVA_INT, offset("beam_search.beam_size"));
    }

    void beamSearchBeamSize(int value) {
        segment.set(JAVA_INT, offset("beam_search.beam_size"), value);
    }

    float beamSearchPatience() {
        return segment.get(JAVA_FLOAT, offset("beam_search.patience"));
    }

    void beamSearchPatience(float value) {
        segment.set(JAVA_FLOAT, offset("beam_search.patience"), value);
    }

    /** {@code void (*)(struct whisper_context *, struct whisper_state *, int n_new, void * user_data)} */
    MemorySegment newSegmentCallback() {
        return segment.get(ADDRESS, offset("new_segment_callback"));
    }

    void newSegmentCallback(MemorySegment value) {
        segment.set(ADDRESS, offset("new_segment_callback"), value);
    }

    MemorySegment newSegmentCallbackUserData() {
        return segment.get(ADDRESS, offset("new_segment_callback_user_data"));
    }

    void newSegmentCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset("new_segment_callback_user_data"), value);
    }

    /** {@code void (*)(struct whisper_context *, struct whisper_state *, int progress, void * user_data)} */
    MemorySegment progressCallback() {
        return segment.get(ADDRESS, offset("progress_callback"));
    }

    void progressCallback(MemorySegment value) {
        segment.set(ADDRESS, offset("progress_callback"), value);
    }

    MemorySegment progressCallbackUserData() {
        return segment.get(ADDRESS, offset("progress_callback_user_data"));
    }

    void progressCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset("progress_callback_user_data"), value);
    }

    /** {@code bool (*)(struct whisper_context *, struct whisper_state *, void * user_data)}; false aborts. */
    MemorySegment encoderBeginCallback() {
        return segment.get(ADDRESS, offset("encoder_begin_callback"));
    }

    void encoderBeginCallback(MemorySegment value) {
        segment.set(ADDRESS, offset("encoder_begin_callback"), value);
    }

    MemorySegment encoderBeginCallbackUserData() {
        return segment.get(ADDRESS, offset("encoder_begin_callback_user_data"));
    }

    void encoderBeginCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset("encoder_begin_callback_user_data"), value);
    }

    /** {@code ggml_abort_callback}: {@code bool (*)(void * user_data)}; true aborts. */
    MemorySegment abortCallback() {
        return segment.get(ADDRESS, offset("abort_callback"));
    }

    void abortCallback(MemorySegment value) {
        segment.set(ADDRESS, offset("abort_callback"), value);
    }

    MemorySegment abortCallbackUserData() {
        return segment.get(ADDRESS, offset("abort_callback_user_data"));
    }

    void abortCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset("abort_callback_user_data"), value);
    }

    /** {@code whisper_logits_filter_callback} */
    MemorySegment logitsFilterCallback() {
        return segment.get(ADDRESS, offset("logits_filter_callback"));
    }

    void logitsFilterCallback(MemorySegment value) {
        segment.set(ADDRESS, offset("logits_filter_callback"), value);
    }

    MemorySegment logitsFilterCallbackUserData() {
        return segment.get(ADDRESS, offset("logits_filter_callback_user_data"));
    }

    void logitsFilterCallbackUserData(MemorySegment value) {
        segment.set(ADDRESS, offset("logits_filter_callback_user_data"), value);
    }

    /** {@code const whisper_grammar_element **}, {@link #nGrammarRules()} rules. */
    MemorySegment grammarRules() {
        return segment.get(ADDRESS, offset("grammar_rules"));
    }

    void grammarRules(MemorySegment value) {
        segment.set(ADDRESS, offset("grammar_rules"), value);
    }

    long nGrammarRules() {
        return segment.get(JAVA_LONG, offset("n_grammar_rules"));
    }

    void nGrammarRules(long value) {
        segment.set(JAVA_LONG, offset("n_grammar_rules"), value);
    }

    long iStartRule() {
        return segment.get(JAVA_LONG, offset("i_start_rule"));
    }

    void iStartRule(long value) {
        segment.set(JAVA_LONG, offset("i_start_rule"), value);
    }

    float grammarPenalty() {
        return segment.get(JAVA_FLOAT, offset("grammar_penalty"));
    }

    void grammarPenalty(float value) {
        segment.set(JAVA_FLOAT, offset("grammar_penalty"), value);
    }

    /** {@code bool carry_initial_prompt}, from 1.8.1: prepend {@code initial_prompt} to every decoding window. */
    boolean carryInitialPrompt() {
        return segment.get(JAVA_BOOLEAN, offset("carry_initial_prompt"));
    }

    void carryInitialPrompt(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("carry_initial_prompt"), value);
    }

    /** {@code bool vad}, from 1.7.6; only whisper_full (on the context's own state) applies it. */
    boolean vad() {
        return segment.get(JAVA_BOOLEAN, offset("vad"));
    }

    void vad(boolean value) {
        segment.set(JAVA_BOOLEAN, offset("vad"), value);
    }

    /** {@code const char * vad_model_path}, from 1.7.6. */
    MemorySegment vadModelPath() {
        return segment.get(ADDRESS, offset("vad_model_path"));
    }

    void vadModelPath(MemorySegment value) {
        segment.set(ADDRESS, offset("vad_model_path"), value);
    }

    /** {@code whisper_vad_params vad_params}, from 1.7.6: a view of the nested struct, read and written in place. */
    WhisperVadParamsStruct vadParams() {
        return new WhisperVadParamsStruct(segment.asSlice(offset("vad_params"), WhisperVadParamsStruct.LAYOUT));
    }
}
