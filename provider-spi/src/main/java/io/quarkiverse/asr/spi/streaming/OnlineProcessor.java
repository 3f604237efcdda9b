package io.quarkiverse.asr.spi.streaming;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.vad.VadEvent;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.spi.vad.VadStream;
import io.quarkiverse.asr.spi.vad.VoiceActivityDetector;

/**
 * The online processor of whisper_streaming (Macháček et al., arXiv 2307.14743), independent of any engine and of
 * threads: it holds a growing buffer of 16 kHz audio, hands out {@link Window windows} of it to transcribe, and turns
 * the engine's successive hypotheses into {@link TranscriptEvent}s through LocalAgreement. Not thread-safe; one
 * window at a time.
 * <p>
 * While the audio goes on past a window, words that end in its last 200 ms are not confirmed from it: they were cut,
 * or guessed by an engine finishing a sentence it has heard part of.
 * <p>
 * A cycle: {@link #insert} audio; when {@link #due()}, take {@link #window()}, transcribe it, {@link #accept} the
 * result. At the end of the stream, call {@link #endOfAudio()}, transcribe while a window is {@link #due()} or audio is
 * {@link #untranscribed()}, then {@link #finish()}.
 * <p>
 * Bounds: once the buffer is longer than {@link StreamingOptions#bufferTrimming()} it is cut at the end of the last
 * confirmed segment or sentence. When the transcribed part leaves no room for another
 * {@link StreamingOptions#minChunk()} under {@link StreamingOptions#maxBuffer()}, it is cut at the end of the last
 * confirmed word; failing that, the same audio is transcribed again (up to {@code agreement - 1} times, so words seen
 * once in a window that grew in one go can be agreed on), and failing that the words of the latest hypothesis older
 * than {@code bufferTrimming} are confirmed as they stand and cut away. A window never exceeds {@code maxBuffer}; the
 * caller stops inserting while {@link #full()}.
 * <p>
 * With {@link StreamingOptions#vad()} (whisper_streaming's VAC mode), a {@link VadStream} gates the audio: only
 * speech enters the buffer, so silence is never transcribed. When the speech ends ({@link StreamingOptions#vadSilence()}
 * of silence), the rest of the utterance is transcribed once more, its unconfirmed words are confirmed as they stand,
 * and the buffer, the hypotheses and the prompt start afresh with the next utterance; with
 * {@link StreamingOptions#utteranceFinals()}, nothing is confirmed before that. Audio that arrives while an
 * utterance is being finished is held, and counts towards {@link #full()}. Call {@link #endOfAudio()} when the
 * audio ends, so that open speech ends too.
 */
public final class OnlineProcessor {

    private static final int SAMPLE_RATE = WindowTranscriber.SAMPLE_RATE;
    private static final long NANOS_PER_SAMPLE = 1_000_000_000L / SAMPLE_RATE;
    /** How much confirmed text before the buffer conditions the decoder, as in whisper_streaming. */
    private static final int PROMPT_CHARS = 200;
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);
    /** Words ending this close to the end of a window that the audio goes on past wait for the next window. */
    private static final Duration EDGE = Duration.ofMillis(200);
    private static final Pattern SENTENCE_END = Pattern.compile(".*[.?!…。？！][\"')\\]»”’]*");

    /** Audio to transcribe next, with the confirmed text before it as prompt. */
    public record Window(Duration start, float[] samples, String prompt) {
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(samples, "samples");
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    private final StreamingOptions options;
    private final String userPrompt;
    private HypothesisBuffer hypothesis;
    /** Confirmed words before the buffer, the most recent ~{@value #PROMPT_CHARS} characters. */
    private final Deque<Word> context = new ArrayDeque<>();
    private int contextChars;
    private float[] buffer = new float[SAMPLE_RATE];
    private int length;
    /** Samples of the stream before {@code buffer[0]}. */
    private long offset;
    /** The end of the last window handed out, in samples of the stream. */
    private long transcribedUntil;
    private List<Word> shownPartial = List.of();
    /** Consecutive steps that left less than a min-chunk of room for new audio. */
    private int overfullSteps;
    private boolean finished;
    /** Samples received from the start of the stream. */
    private long received;

    // Voice activity gating: all null, empty or false without it
    private final VadStream speech;
    /** Speech boundaries reported and not yet acted on, in order. */
    private final Deque<VadEvent> boundaries = new ArrayDeque<>();
    /** Audio received and not yet in the buffer: from {@code heldStart} on the stream's timeline. */
    private float[] held = new float[0];
    private int heldLength;
    private long heldStart;
    private boolean inSpeech;
    /** The current utterance has ended: transcribe the rest of the buffer, then start afresh. */
    private boolean utteranceEnding;
    private boolean audioEnded;

    /**
     * A processor without voice activity detection.
     *
     * @throws IllegalArgumentException when {@code options} ask for {@link StreamingOptions#vad()}
     */
    public OnlineProcessor(StreamingOptions options) {
        this(options, null, null);
    }

    /**
     * A processor that, when {@code options} ask for {@link StreamingOptions#vad()}, gates the audio with a stream of
     * {@code detector} (its own state, closed by {@link #finish()}) that ends speech after
     * {@link StreamingOptions#vadSilence()} of silence.
     *
     * @param detector the detector, required with {@link StreamingOptions#vad()}, ignored otherwise
     * @param parameters its thresholds, required with {@code detector}; their minimum silence is replaced by
     *        {@link StreamingOptions#vadSilence()}
     * @throws IllegalArgumentException when {@link StreamingOptions#vad()} is on and there is no detector
     */
    public OnlineProcessor(StreamingOptions options, VoiceActivityDetector detector, VadParameters parameters) {
        this.options = Objects.requireNonNull(options, "options");
        this.userPrompt = options.decoding().initialPrompt().orElse("").strip();
        this.hypothesis = new HypothesisBuffer(options.agreement(), options.minWordProbability(), Duration.ZERO);
        if (options.vad()) {
            if (detector == null) {
                throw new IllegalArgumentException("vad needs a voice activity detector");
            }
            Objects.requireNonNull(parameters, "parameters");
            this.speech = detector.openStream(new VadParameters(parameters.threshold(),
                    parameters.minSpeechDurationMs(), Math.toIntExact(options.vadSilence().toMillis()),
                    parameters.maxSpeechDurationSeconds(), parameters.speechPadMs()));
        } else {
            this.speech = null;
        }
    }

    /** Appends audio: mono, {@value #SAMPLE_RATE} Hz. With voice activity detection, only speech is kept. */
    public void insert(float[] samples) {
        checkNotFinished();
        if (audioEnded) {
            throw new IllegalStateException("the audio has ended");
        }
        received += samples.length;
        if (speech == null) {
            append(samples, 0, samples.length);
            return;
        }
        if (heldLength + samples.length > held.length) {
            held = Arrays.copyOf(held, Math.max(2 * held.length, heldLength + samples.length));
        }
        System.arraycopy(samples, 0, held, heldLength, samples.length);
        heldLength += samples.length;
        boundaries.addAll(speech.accept(samples));
        route();
    }

    /**
     * The audio has ended: with voice activity detection, open speech ends here and becomes an utterance to finish;
     * transcribe while {@link #due()} or anything is {@link #untranscribed()}, then {@link #finish()}.
     */
    public void endOfAudio() {
        checkNotFinished();
        if (!audioEnded && speech != null) {
            boundaries.addAll(speech.finish());
            route();
        }
        audioEnded = true;
    }

    private void append(float[] samples, int from, int n) {
        if (length + n > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, length + n));
        }
        System.arraycopy(samples, from, buffer, length, n);
        length += n;
    }

    /** Moves held audio where the speech boundaries say, up to the end of an utterance or of what was received. */
    private void route() {
        while (!utteranceEnding) {
            VadEvent next = boundaries.peekFirst();
            long heldEnd = heldStart + heldLength;
            if (inSpeech) {
                boolean ends = next instanceof VadEvent.SpeechEnded;
                long until = ends ? Math.min(Math.max(sampleAt(next.at()), heldStart), heldEnd) : heldEnd;
                append(held, 0, (int) (until - heldStart));
                dropHeldBefore(until);
                if (!ends) {
                    return;
                }
                boundaries.removeFirst();
                inSpeech = false;
                if (length > 0) {
                    utteranceEnding = true;
                } else {
                    startAfresh(); // all of it was confirmed and cut already
                }
            } else if (next instanceof VadEvent.SpeechStarted start) {
                boundaries.removeFirst();
                dropHeldBefore(sampleAt(start.at()));
                inSpeech = true;
                offset = heldStart;
                transcribedUntil = heldStart;
                hypothesis = new HypothesisBuffer(options.agreement(), options.minWordProbability(), time(heldStart));
            } else {
                // silence for good, except what may yet turn out to be the start of speech
                dropHeldBefore(Math.max(sampleAt(speech.undecidedFrom()), heldEnd - samples(options.maxBuffer())));
                return;
            }
        }
    }

    private void dropHeldBefore(long at) {
        int drop = (int) Math.clamp(at - heldStart, 0, heldLength);
        System.arraycopy(held, drop, held, 0, heldLength - drop);
        heldLength -= drop;
        heldStart += drop;
    }

    /** After an utterance: an empty buffer, no hypotheses, no prompt but the user's. */
    private void startAfresh() {
        utteranceEnding = false;
        length = 0;
        offset = heldStart;
        transcribedUntil = heldStart;
        overfullSteps = 0;
        hypothesis = new HypothesisBuffer(options.agreement(), options.minWordProbability(), time(heldStart));
        context.clear();
        contextChars = 0;
        route();
    }

    /** The length of the audio held. */
    public Duration buffered() {
        return time(length);
    }

    /** The audio received after the last window. */
    public Duration untranscribed() {
        return time(offset + length - transcribedUntil);
    }

    /** Whether the buffer holds {@link StreamingOptions#maxBuffer()} or more: insert no more until a step trims it. */
    public boolean full() {
        return length + (utteranceEnding ? heldLength : 0) >= samples(options.maxBuffer());
    }

    /**
     * Whether a window is due: a {@link StreamingOptions#minChunk()} of new audio, a full buffer, a buffer at its
     * bound whose words have yet to be agreed on, or the end of an utterance.
     */
    public boolean due() {
        long fresh = offset + length - transcribedUntil;
        return fresh > 0 && (fresh >= samples(options.minChunk()) || full()) || overfullSteps > 0 && length > 0
                || utteranceEnding;
    }

    /** The next window: the buffer (at most {@link StreamingOptions#maxBuffer()} of it) and the prompt. */
    public Window window() {
        checkNotFinished();
        int n = (int) Math.min(length, samples(options.maxBuffer()));
        transcribedUntil = offset + n;
        return new Window(time(offset), Arrays.copyOf(buffer, n), prompt());
    }

    /**
     * Takes the engine's transcription of {@code window} and returns what it confirms and changes.
     *
     * @param segments the engine's segments with their words, times relative to the window
     * @return a {@link TranscriptEvent.Final} when words were confirmed, then a {@link TranscriptEvent.Partial} when
     *         the unconfirmed text changed
     * @throws IllegalStateException when {@code window} is not the last one handed out
     */
    public List<TranscriptEvent> accept(Window window, List<Segment> segments) {
        checkNotFinished();
        if (!window.start().equals(time(offset)) || offset + window.samples().length != transcribedUntil) {
            throw new IllegalStateException("not the last window: " + window.start());
        }
        List<Word> words = new ArrayList<>();
        List<Duration> segmentEnds = new ArrayList<>();
        for (Segment segment : segments) {
            for (Word w : segment.words()) {
                String text = w.text().strip();
                if (!text.isEmpty()) { // a blank token would only add spaces to the transcript
                    words.add(new Word(w.start().plus(window.start()), w.end().plus(window.start()), text,
                            w.probability()));
                }
            }
            segmentEnds.add(segment.end().plus(window.start()));
        }
        boolean utteranceDone = utteranceEnding && transcribedUntil == offset + length;
        // While audio goes on past the window, the words at its end were cut or guessed: an engine asked to
        // transcribe a sentence it heard half of tends to finish it, squeezing the rest into the window's last
        // moment; confirming those would put words before their audio, and repeat them once they are heard
        boolean audioGoesOn = !utteranceDone && !(audioEnded && transcribedUntil == offset + length);
        Duration agreeableUntil = !audioGoesOn ? null
                : speech != null && options.utteranceFinals() ? time(offset) // nothing before the utterance ends
                        : time(transcribedUntil).minus(EDGE);
        List<Word> confirmed = new ArrayList<>(hypothesis.insert(words, agreeableUntil));
        confirmed.addAll(trim(segmentEnds));
        if (utteranceDone) {
            confirmed.addAll(hypothesis.confirmBefore(FOREVER));
        }

        List<TranscriptEvent> events = new ArrayList<>(2);
        if (!confirmed.isEmpty()) {
            events.add(new TranscriptEvent.Final(confirmed.getFirst().start(), confirmed.getLast().end(),
                    text(confirmed), confirmed));
        }
        List<Word> tentative = hypothesis.tentative();
        if (!tentative.equals(shownPartial)) {
            shownPartial = tentative;
            Duration start = tentative.isEmpty() ? hypothesis.confirmedEnd() : tentative.getFirst().start();
            Duration end = tentative.isEmpty() ? hypothesis.confirmedEnd() : tentative.getLast().end();
            events.add(new TranscriptEvent.Partial(start, end, text(tentative), tentative));
        }
        if (utteranceDone) {
            startAfresh();
        }
        return events;
    }

    /**
     * Ends the stream: confirms the unconfirmed words of the last hypothesis as they stand.
     *
     * @return a {@link TranscriptEvent.Final} when words were left, then {@link TranscriptEvent.End}
     */
    public List<TranscriptEvent> finish() {
        checkNotFinished();
        finished = true;
        List<Word> rest = hypothesis.confirmBefore(FOREVER);
        List<TranscriptEvent> events = new ArrayList<>(2);
        if (!rest.isEmpty()) {
            events.add(new TranscriptEvent.Final(rest.getFirst().start(), rest.getLast().end(), text(rest), rest));
        }
        events.add(new TranscriptEvent.End(time(received)));
        if (speech != null) {
            speech.close();
        }
        return events;
    }

    /** Cuts the buffer where the options say; returns the words confirmed only to make room. */
    private List<Word> trim(List<Duration> segmentEnds) {
        if (length > samples(options.bufferTrimming())) {
            Duration point = options.trimming() == StreamingOptions.Trimming.SEGMENT ? segmentPoint(segmentEnds)
                    : sentencePoint();
            if (point != null) {
                cutAt(point);
            }
        }
        // The next window must take in new audio: less than a min-chunk of room left is a reason to cut anywhere
        long room = samples(options.maxBuffer().minus(options.minChunk()));
        if (transcribedUntil - offset > room) {
            cutAt(hypothesis.confirmedEnd());
        }
        if (transcribedUntil - offset <= room) {
            overfullSteps = 0;
            return List.of();
        }
        if (++overfullSteps < options.agreement()) {
            return List.of(); // a window that grew in one go (a slow engine) gets its chance to be agreed on
        }
        overfullSteps = 0;
        Duration cut = time(transcribedUntil - samples(options.bufferTrimming()));
        List<Word> forced = hypothesis.confirmBefore(cut);
        if (!forced.isEmpty() && forced.getLast().end().compareTo(cut) > 0) {
            cut = forced.getLast().end();
        }
        cutAt(cut);
        return forced;
    }

    /** The end of the last segment, other than the latest, that is wholly confirmed. */
    private Duration segmentPoint(List<Duration> segmentEnds) {
        Duration point = null;
        for (Duration end : segmentEnds.subList(0, Math.max(0, segmentEnds.size() - 1))) {
            if (end.compareTo(hypothesis.confirmedEnd()) <= 0) {
                point = end;
            }
        }
        return point;
    }

    /** The end of the last confirmed word that ends a sentence. */
    private Duration sentencePoint() {
        List<Word> confirmed = hypothesis.confirmedInBuffer();
        for (int i = confirmed.size() - 1; i >= 0; i--) {
            if (SENTENCE_END.matcher(confirmed.get(i).text()).matches()) {
                return confirmed.get(i).end();
            }
        }
        return null;
    }

    /** Drops the audio before {@code time}, never audio not transcribed yet. */
    private void cutAt(Duration time) {
        long at = Math.min(Math.max(samples(time), offset), transcribedUntil);
        int drop = (int) (at - offset);
        if (drop <= 0) {
            return;
        }
        System.arraycopy(buffer, drop, buffer, 0, length - drop);
        length -= drop;
        offset = at;
        for (Word w : hypothesis.dropConfirmedBefore(time(at))) {
            context.addLast(w);
            contextChars += w.text().length() + 1;
        }
        while (!context.isEmpty() && contextChars - context.getFirst().text().length() - 1 >= PROMPT_CHARS) {
            contextChars -= context.removeFirst().text().length() + 1;
        }
    }

    private String prompt() {
        StringBuilder prompt = new StringBuilder(userPrompt);
        for (Word w : context) {
            prompt.append(prompt.isEmpty() ? "" : " ").append(w.text());
        }
        return prompt.toString();
    }

    private void checkNotFinished() {
        if (finished) {
            throw new IllegalStateException("the stream is finished");
        }
    }

    private static String text(List<Word> words) {
        StringBuilder text = new StringBuilder();
        for (Word w : words) {
            text.append(' ').append(w.text());
        }
        return text.toString();
    }

    private static Duration time(long samples) {
        return Duration.ofNanos(samples * NANOS_PER_SAMPLE);
    }

    private static long sampleAt(double seconds) {
        return Math.round(seconds * SAMPLE_RATE);
    }

    private static long samples(Duration time) {
        return Math.floorDiv(time.toNanos() + NANOS_PER_SAMPLE / 2, NANOS_PER_SAMPLE);
    }
}
