package io.quarkiverse.asr.whisper.natives;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.SegmentAllocator;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Options for {@link WhisperState#full}: every field of {@code whisper_full_params} but {@code debug_mode} and the
 * printing, grammar and callback ones. A {@code null} option keeps whisper.cpp's default for the chosen strategy (see
 * {@code whisper_full_default_params}; the defaults below are the same in every supported release), except
 * {@code language}, where {@code null} means "detect". Options that only newer releases have
 * ({@code carryInitialPrompt}, VAD) make {@code full} throw {@link WhisperLibraryException} on an older library.
 *
 * @param strategy decoding strategy
 * @param threads CPU threads (whisper.cpp default: min(4, cores))
 * @param language language code or name ("en", "german"); {@code null} or "auto" detects it, which costs
 *        one more encoder pass. English-only models always use "en".
 * @param translate translate into English
 * @param detectLanguage only detect the language: the result then has no segments
 * @param initialPrompt text given to the decoder as preceding context
 * @param promptTokens token ids given to the decoder as preceding context, after {@code initialPrompt}'s
 *        (see {@link WhisperContext#tokenize}); whisper.cpp uses at most half the text context (224 tokens)
 * @param carryInitialPrompt prepend {@code initialPrompt} to every 30 s window, not only the first (whisper.cpp
 *        1.8.1 and later)
 * @param temperature initial sampling temperature (default 0)
 * @param temperatureInc temperature step of the fallback when decoding fails the thresholds (default 0.2;
 *        0 disables the fallback)
 * @param beamSize beams for {@link Strategy#BEAM_SEARCH} (default 5)
 * @param patience beam search patience (default -1; whisper.cpp does not implement it yet)
 * @param bestOf candidates sampled by {@link Strategy#GREEDY} at non-zero temperature (default 5)
 * @param noTimestamps decode without timestamp tokens
 * @param tokenTimestamps compute per-token timestamps
 * @param tholdPt timestamp token probability threshold of token timestamps (default 0.01)
 * @param tholdPtsum timestamp token probability sum threshold of token timestamps (default 0.01)
 * @param noContext do not carry text from previous windows as prompt (default true)
 * @param singleSegment force a single segment per window
 * @param maxLen maximum segment length in characters (0 = no limit)
 * @param splitOnWord split segments on words rather than tokens (with {@code maxLen})
 * @param maxTokens maximum tokens per segment (0 = no limit)
 * @param suppressBlank suppress blank outputs at the start of sampling (default true)
 * @param suppressNonSpeechTokens suppress non-speech tokens such as music symbols
 * @param offsetMs start offset into the audio, in milliseconds
 * @param durationMs length of audio to process from the offset, in milliseconds (0 = to the end)
 * @param audioCtx encoder context size override (0 = the model's)
 * @param maxTextContext maximum tokens of past text used as prompt (default 16384)
 * @param entropyThreshold entropy above which a window is decoded again at a higher temperature (default 2.4)
 * @param logprobThreshold average log probability below which a window is decoded again (default -1)
 * @param noSpeechThreshold no-speech probability threshold (default 0.6)
 * @param lengthPenalty length penalty of beam search scoring (default -1 = none)
 * @param maxInitialTs latest allowed first timestamp, in seconds (default 1)
 * @param suppressRegex tokens matching this regular expression are suppressed
 * @param tdrzEnable tinydiarize speaker turn detection (needs a tdrz model)
 * @param vad transcribe only the speech that a voice activity detection model finds (whisper.cpp 1.7.6 and
 *        later); segment and token times still refer to the whole audio
 * @param vadModelPath the VAD model (e.g. {@code ggml-silero-v6.2.0.bin}); required with {@code vad}
 * @param vadParams VAD thresholds; {@code null} for whisper.cpp's ({@code whisper_vad_default_params()})
 */
public record FullParams(
        Strategy strategy,
        Integer threads,
        String language,
        Boolean translate,
        Boolean detectLanguage,
        String initialPrompt,
        Float temperature,
        Float temperatureInc,
        Integer beamSize,
        Integer bestOf,
        Boolean noTimestamps,
        Boolean tokenTimestamps,
        Boolean noContext,
        Boolean singleSegment,
        Integer maxLen,
        Boolean splitOnWord,
        Integer maxTokens,
        Boolean suppressBlank,
        Boolean suppressNonSpeechTokens,
        Integer offsetMs,
        Integer durationMs,
        Integer audioCtx,
        Integer maxTextContext,
        Float entropyThreshold,
        Float logprobThreshold,
        Float noSpeechThreshold,
        Float lengthPenalty,
        Float maxInitialTs,
        String suppressRegex,
        List<Integer> promptTokens,
        Boolean carryInitialPrompt,
        Float patience,
        Float tholdPt,
        Float tholdPtsum,
        Boolean tdrzEnable,
        Boolean vad,
        Path vadModelPath,
        VadParams vadParams) {

    /** whisper.cpp's WHISPER_MAX_DECODERS: more beams or candidates make whisper_full fail. */
    private static final int MAX_DECODERS = 8;

    /** {@code enum whisper_sampling_strategy}. */
    public enum Strategy {
        GREEDY(WhisperFullParamsStruct.STRATEGY_GREEDY),
        BEAM_SEARCH(WhisperFullParamsStruct.STRATEGY_BEAM_SEARCH);

        final int code;

        Strategy(int code) {
            this.code = code;
        }
    }

    public FullParams {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy is required");
        }
        requireAtLeast("threads", threads, 1);
        requireAtLeast("beamSize", beamSize, 1);
        requireAtLeast("bestOf", bestOf, 1);
        requireAtMost("beamSize", beamSize, MAX_DECODERS);
        requireAtMost("bestOf", bestOf, MAX_DECODERS);
        requireAtLeast("maxLen", maxLen, 0);
        requireAtLeast("maxTokens", maxTokens, 0);
        requireAtLeast("offsetMs", offsetMs, 0);
        requireAtLeast("durationMs", durationMs, 0);
        requireAtLeast("audioCtx", audioCtx, 0);
        requireAtLeast("maxTextContext", maxTextContext, 0);
        if (promptTokens != null) {
            promptTokens = List.copyOf(promptTokens);
            if (promptTokens.stream().anyMatch(token -> token < 0)) {
                throw new IllegalArgumentException("promptTokens must not be negative: " + promptTokens);
            }
        }
        if (Boolean.TRUE.equals(vad) && vadModelPath == null) {
            throw new IllegalArgumentException("vad needs vadModelPath, the VAD model file");
        }
    }

    private static void requireAtLeast(String name, Integer value, int min) {
        if (value != null && value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
    }

    private static void requireAtMost(String name, Integer value, int max) {
        if (value != null && value > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + ": " + value);
        }
    }

    /** Greedy decoding, language detection, everything else at whisper.cpp's defaults. */
    public static FullParams defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code language} asks for detection. */
    boolean detectsLanguage() {
        return language == null || language.isEmpty() || language.equals("auto");
    }

    /** Whether VAD is on. */
    boolean usesVad() {
        return Boolean.TRUE.equals(vad);
    }

    /**
     * Writes the set options over whisper.cpp's defaults in {@code params}; strings and arrays are allocated from
     * {@code memory}, which must outlive the whisper_full call. The language and VAD are left to the caller: the
     * language depends on the model, and whisper_full_with_state ignores the struct's VAD fields.
     *
     * @throws WhisperLibraryException if an option needs a newer whisper.cpp than the one of {@code params}
     */
    void writeTo(WhisperFullParamsStruct params, SegmentAllocator memory) {
        if (carryInitialPrompt != null) {
            if (!params.family().hasCarryInitialPrompt()) {
                throw new WhisperLibraryException("carryInitialPrompt needs whisper.cpp 1.8.1 or later; the loaded"
                        + " library has the API of whisper.cpp " + params.family().range());
            }
            params.carryInitialPrompt(carryInitialPrompt);
        }
        // whisper.cpp prints realtime output with printf, past the log callback: keep all printing off
        params.printRealtime(false);
        params.printProgress(false);
        params.printSpecial(false);
        params.printTimestamps(false);
        if (threads != null) {
            params.nThreads(threads);
        }
        if (translate != null) {
            params.translate(translate);
        }
        if (detectLanguage != null) {
            params.detectLanguage(detectLanguage);
        }
        if (initialPrompt != null) {
            params.initialPrompt(memory.allocateFrom(initialPrompt));
        }
        if (promptTokens != null) {
            params.promptTokens(memory.allocateFrom(JAVA_INT,
                    promptTokens.stream().mapToInt(Integer::intValue).toArray()));
            params.promptNTokens(promptTokens.size());
        }
        if (temperature != null) {
            params.temperature(temperature);
        }
        if (temperatureInc != null) {
            params.temperatureInc(temperatureInc);
        }
        if (beamSize != null) {
            params.beamSearchBeamSize(beamSize);
        }
        if (patience != null) {
            params.beamSearchPatience(patience);
        }
        if (bestOf != null) {
            params.greedyBestOf(bestOf);
        }
        if (noTimestamps != null) {
            params.noTimestamps(noTimestamps);
        }
        if (tokenTimestamps != null) {
            params.tokenTimestamps(tokenTimestamps);
        }
        if (tholdPt != null) {
            params.tholdPt(tholdPt);
        }
        if (tholdPtsum != null) {
            params.tholdPtsum(tholdPtsum);
        }
        if (noContext != null) {
            params.noContext(noContext);
        }
        if (singleSegment != null) {
            params.singleSegment(singleSegment);
        }
        if (maxLen != null) {
            params.maxLen(maxLen);
        }
        if (splitOnWord != null) {
            params.splitOnWord(splitOnWord);
        }
        if (maxTokens != null) {
            params.maxTokens(maxTokens);
        }
        if (suppressBlank != null) {
            params.suppressBlank(suppressBlank);
        }
        if (suppressNonSpeechTokens != null) {
            params.suppressNonSpeechTokens(suppressNonSpeechTokens);
        }
        if (offsetMs != null) {
            params.offsetMs(offsetMs);
        }
        if (durationMs != null) {
            params.durationMs(durationMs);
        }
        if (audioCtx != null) {
            params.audioCtx(audioCtx);
        }
        if (maxTextContext != null) {
            params.nMaxTextCtx(maxTextContext);
        }
        if (entropyThreshold != null) {
            params.entropyThold(entropyThreshold);
        }
        if (logprobThreshold != null) {
            params.logprobThold(logprobThreshold);
        }
        if (noSpeechThreshold != null) {
            params.noSpeechThold(noSpeechThreshold);
        }
        if (lengthPenalty != null) {
            params.lengthPenalty(lengthPenalty);
        }
        if (maxInitialTs != null) {
            params.maxInitialTs(maxInitialTs);
        }
        if (suppressRegex != null) {
            params.suppressRegex(memory.allocateFrom(suppressRegex));
        }
        if (tdrzEnable != null) {
            params.tdrzEnable(tdrzEnable);
        }
    }

    /** Builds {@link FullParams}; every option starts unset. */
    public static final class Builder {
        private Strategy strategy = Strategy.GREEDY;
        private Integer threads;
        private String language;
        private Boolean translate;
        private Boolean detectLanguage;
        private String initialPrompt;
        private Float temperature;
        private Float temperatureInc;
        private Integer beamSize;
        private Integer bestOf;
        private Boolean noTimestamps;
        private Boolean tokenTimestamps;
        private Boolean noContext;
        private Boolean singleSegment;
        private Integer maxLen;
        private Boolean splitOnWord;
        private Integer maxTokens;
        private Boolean suppressBlank;
        private Boolean suppressNonSpeechTokens;
        private Integer offsetMs;
        private Integer durationMs;
        private Integer audioCtx;
        private Integer maxTextContext;
        private Float entropyThreshold;
        private Float logprobThreshold;
        private Float noSpeechThreshold;
        private Float lengthPenalty;
        private Float maxInitialTs;
        private String suppressRegex;
        private List<Integer> promptTokens;
        private Boolean carryInitialPrompt;
        private Float patience;
        private Float tholdPt;
        private Float tholdPtsum;
        private Boolean tdrzEnable;
        private Boolean vad;
        private Path vadModelPath;
        private VadParams vadParams;

        private Builder() {
        }

        public Builder strategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder threads(Integer threads) {
            this.threads = threads;
            return this;
        }

        public Builder language(String language) {
            this.language = language;
            return this;
        }

        public Builder translate(Boolean translate) {
            this.translate = translate;
            return this;
        }

        public Builder detectLanguage(Boolean detectLanguage) {
            this.detectLanguage = detectLanguage;
            return this;
        }

        public Builder initialPrompt(String initialPrompt) {
            this.initialPrompt = initialPrompt;
            return this;
        }

        public Builder temperature(Float temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder temperatureInc(Float temperatureInc) {
            this.temperatureInc = temperatureInc;
            return this;
        }

        public Builder beamSize(Integer beamSize) {
            this.beamSize = beamSize;
            return this;
        }

        public Builder bestOf(Integer bestOf) {
            this.bestOf = bestOf;
            return this;
        }

        public Builder noTimestamps(Boolean noTimestamps) {
            this.noTimestamps = noTimestamps;
            return this;
        }

        public Builder tokenTimestamps(Boolean tokenTimestamps) {
            this.tokenTimestamps = tokenTimestamps;
            return this;
        }

        public Builder noContext(Boolean noContext) {
            this.noContext = noContext;
            return this;
        }

        public Builder singleSegment(Boolean singleSegment) {
            this.singleSegment = singleSegment;
            return this;
        }

        public Builder maxLen(Integer maxLen) {
            this.maxLen = maxLen;
            return this;
        }

        public Builder splitOnWord(Boolean splitOnWord) {
            this.splitOnWord = splitOnWord;
            return this;
        }

        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder suppressBlank(Boolean suppressBlank) {
            this.suppressBlank = suppressBlank;
            return this;
        }

        public Builder suppressNonSpeechTokens(Boolean suppressNonSpeechTokens) {
            this.suppressNonSpeechTokens = suppressNonSpeechTokens;
            return this;
        }

        public Builder offsetMs(Integer offsetMs) {
            this.offsetMs = offsetMs;
            return this;
        }

        public Builder durationMs(Integer durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        public Builder audioCtx(Integer audioCtx) {
            this.audioCtx = audioCtx;
            return this;
        }

        public Builder maxTextContext(Integer maxTextContext) {
            this.maxTextContext = maxTextContext;
            return this;
        }

        public Builder entropyThreshold(Float entropyThreshold) {
            this.entropyThreshold = entropyThreshold;
            return this;
        }

        public Builder logprobThreshold(Float logprobThreshold) {
            this.logprobThreshold = logprobThreshold;
            return this;
        }

        public Builder noSpeechThreshold(Float noSpeechThreshold) {
            this.noSpeechThreshold = noSpeechThreshold;
            return this;
        }

        public Builder lengthPenalty(Float lengthPenalty) {
            this.lengthPenalty = lengthPenalty;
            return this;
        }

        public Builder maxInitialTs(Float maxInitialTs) {
            this.maxInitialTs = maxInitialTs;
            return this;
        }

        public Builder suppressRegex(String suppressRegex) {
            this.suppressRegex = suppressRegex;
            return this;
        }

        /** Token ids, e.g. from {@link WhisperContext#tokenize}; {@code null} for none. */
        public Builder promptTokens(int... promptTokens) {
            this.promptTokens = promptTokens == null ? null : IntStream.of(promptTokens).boxed().toList();
            return this;
        }

        public Builder carryInitialPrompt(Boolean carryInitialPrompt) {
            this.carryInitialPrompt = carryInitialPrompt;
            return this;
        }

        public Builder patience(Float patience) {
            this.patience = patience;
            return this;
        }

        public Builder tholdPt(Float tholdPt) {
            this.tholdPt = tholdPt;
            return this;
        }

        public Builder tholdPtsum(Float tholdPtsum) {
            this.tholdPtsum = tholdPtsum;
            return this;
        }

        public Builder tdrzEnable(Boolean tdrzEnable) {
            this.tdrzEnable = tdrzEnable;
            return this;
        }

        public Builder vad(Boolean vad) {
            this.vad = vad;
            return this;
        }

        public Builder vadModelPath(Path vadModelPath) {
            this.vadModelPath = vadModelPath;
            return this;
        }

        public Builder vadParams(VadParams vadParams) {
            this.vadParams = vadParams;
            return this;
        }

        public FullParams build() {
            return new FullParams(strategy, threads, language, translate, detectLanguage, initialPrompt, temperature,
                    temperatureInc, beamSize, bestOf, noTimestamps, tokenTimestamps, noContext, singleSegment, maxLen,
                    splitOnWord, maxTokens, suppressBlank, suppressNonSpeechTokens, offsetMs, durationMs, audioCtx,
                    maxTextContext, entropyThreshold, logprobThreshold, noSpeechThreshold, lengthPenalty, maxInitialTs,
                    suppressRegex, promptTokens, carryInitialPrompt, patience, tholdPt, tholdPtsum, tdrzEnable, vad,
                    vadModelPath, vadParams);
        }
    }
}
