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

/**
 * The online processor of whisper_streaming (Macháček et al., arXiv 2307.14743), independent of any engine and of
 * threads: it holds a growing buffer of 16 kHz audio, hands out {@link Window windows} of it to transcribe, and turns
 * the engine's successive hypotheses into {@link TranscriptEvent}s through LocalAgreement. Not thread-safe; one
 * window at a time.
 * <p>
 * A cycle: {@link #insert} audio; when {@link #due()}, take {@link #window()}, transcribe it, {@link #accept} the
 * result. At the end of the stream, transcribe what is still {@link #untranscribed()}, then {@link #finish()}.
 * <p>
 * Bounds: once the buffer is longer than {@link StreamingOptions#bufferTrimming()} it is cut at the end of the last
 * confirmed segment or sentence. When the transcribed part leaves no room for another
 * {@link StreamingOptions#minChunk()} under {@link StreamingOptions#maxBuffer()}, it is cut at the end of the last
 * confirmed word; failing that, the same audio is transcribed again (up to {@code agreement - 1} times, so words seen
 * once in a window that grew in one go can be agreed on), and failing that the words of the latest hypothesis older
 * than {@code bufferTrimming} are confirmed as they stand and cut away. A window never exceeds {@code maxBuffer}; the
 * caller stops inserting while {@link #full()}.
 */
public final class OnlineProcessor {

    private static final int SAMPLE_RATE = WindowTranscriber.SAMPLE_RATE;
    private static final long NANOS_PER_SAMPLE = 1_000_000_000L / SAMPLE_RATE;
    /** How much confirmed text before the buffer conditions the decoder, as in whisper_streaming. */
    private static final int PROMPT_CHARS = 200;
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);
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
    private final HypothesisBuffer hypothesis;
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

    public OnlineProcessor(StreamingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.userPrompt = options.decoding().initialPrompt().orElse("").strip();
        this.hypothesis = new HypothesisBuffer(options.agreement(), Duration.ZERO);
    }

    /** Appends audio: mono, {@value #SAMPLE_RATE} Hz. */
    public void insert(float[] samples) {
        checkNotFinished();
        if (length + samples.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, length + samples.length));
        }
        System.arraycopy(samples, 0, buffer, length, samples.length);
        length += samples.length;
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
        return length >= samples(options.maxBuffer());
    }

    /**
     * Whether a window is due: a {@link StreamingOptions#minChunk()} of new audio, a full buffer, or a buffer at its
     * bound whose words have yet to be agreed on.
     */
    public boolean due() {
        long fresh = offset + length - transcribedUntil;
        return fresh > 0 && (fresh >= samples(options.minChunk()) || full()) || overfullSteps > 0 && length > 0;
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
        List<Word> confirmed = new ArrayList<>(hypothesis.insert(words));
        confirmed.addAll(trim(segmentEnds));

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
        events.add(new TranscriptEvent.End(time(offset + length)));
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

    private static long samples(Duration time) {
        return Math.floorDiv(time.toNanos() + NANOS_PER_SAMPLE / 2, NANOS_PER_SAMPLE);
    }
}
