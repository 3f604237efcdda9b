package io.quarkiverse.asr.spi.streaming;

import static io.quarkiverse.asr.spi.streaming.Words.finalText;
import static io.quarkiverse.asr.spi.streaming.Words.finalWords;
import static io.quarkiverse.asr.spi.streaming.Words.seconds;
import static io.quarkiverse.asr.spi.streaming.Words.segment;
import static io.quarkiverse.asr.spi.streaming.Words.texts;
import static io.quarkiverse.asr.spi.streaming.Words.w;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.StreamingOptions.Trimming;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.eval.TextNormalizer;

class OnlineProcessorTest {

    private static final int RATE = WindowTranscriber.SAMPLE_RATE;

    private final List<OnlineProcessor.Window> windows = new ArrayList<>();
    private final List<TranscriptEvent> events = new ArrayList<>();

    @Test
    void aWindowIsDueEveryMinChunkOfNewAudioAndCoversTheWholeBuffer() {
        OnlineProcessor processor = new OnlineProcessor(StreamingOptions.defaults());
        processor.insert(new float[RATE - 1]);
        assertThat(processor.due()).isFalse();
        processor.insert(new float[1]);
        assertThat(processor.due()).isTrue();
        OnlineProcessor.Window first = processor.window();
        assertThat(first.samples()).hasSize(RATE);
        assertThat(processor.untranscribed()).isZero();
        assertThat(processor.accept(first, List.of())).isEmpty();

        processor.insert(new float[RATE / 2]);
        assertThat(processor.due()).isFalse();
        processor.insert(new float[RATE / 2]);
        OnlineProcessor.Window second = processor.window();
        assertThat(second.start()).isZero();
        assertThat(second.samples()).hasSize(2 * RATE);
        assertThatThrownBy(() -> processor.accept(first, List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eventsConfirmAgreedWordsOnTheStreamTimelineAndShowTheRestAsPartial() {
        OnlineProcessor processor = new OnlineProcessor(StreamingOptions.defaults());
        step(processor, 1.0, (start, n) -> List.of(segment(List.of(w("And", 0.1, 0.4), w("so", 0.5, 0.9)))));
        assertThat(events).singleElement().isInstanceOfSatisfying(TranscriptEvent.Partial.class, p -> {
            assertThat(p.text()).isEqualTo(" And so");
            assertThat(p.start()).isEqualTo(seconds(0.1));
            assertThat(p.end()).isEqualTo(seconds(0.9));
        });
        events.clear();

        step(processor, 1.0, (start, n) -> List.of(segment(List.of(w("And", 0.1, 0.4), w("so", 0.5, 0.9),
                w("my", 1.2, 1.5), w("fellow", 1.6, 2.0)))));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(TranscriptEvent.Final.class, f -> {
            assertThat(f.text()).isEqualTo(" And so");
            assertThat(f.start()).isEqualTo(seconds(0.1));
            assertThat(f.end()).isEqualTo(seconds(0.9));
            assertThat(texts(f.words())).containsExactly("And", "so");
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(TranscriptEvent.Partial.class,
                p -> assertThat(p.text()).isEqualTo(" my fellow"));
        events.clear();

        // the same hypothesis again confirms the rest and empties the partial text
        step(processor, 1.0, (start, n) -> List.of(segment(List.of(w("And", 0.1, 0.4), w("so", 0.5, 0.9),
                w("my", 1.2, 1.5), w("fellow", 1.6, 2.0)))));
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isInstanceOfSatisfying(TranscriptEvent.Partial.class, p -> {
            assertThat(p.text()).isEmpty();
            assertThat(p.start()).isEqualTo(seconds(2.0));
        });

        assertThat(processor.finish()).singleElement().isEqualTo(new TranscriptEvent.End(seconds(3)));
    }

    @Test
    void wordsAreStrippedAndBlankOnesIgnored() {
        OnlineProcessor processor = new OnlineProcessor(StreamingOptions.defaults());
        step(processor, 1.0, (start, n) -> List.of(segment(List.of(w(" ask", 0.1, 0.4), w(" ", 0.4, 0.5),
                w("not ", 0.5, 0.9)))));
        assertThat(events).singleElement().isInstanceOfSatisfying(TranscriptEvent.Partial.class,
                p -> assertThat(texts(p.words())).containsExactly("ask", "not"));
    }

    @Test
    void finishConfirmsTheUnconfirmedTailAsItStands() {
        OnlineProcessor processor = new OnlineProcessor(StreamingOptions.defaults());
        step(processor, 1.3, (start, n) -> List.of(segment(List.of(w("ask", 0.1, 0.4), w("no", 1.1, 1.3)))));
        List<TranscriptEvent> end = processor.finish();
        assertThat(end).hasSize(2);
        assertThat(end.get(0)).isInstanceOfSatisfying(TranscriptEvent.Final.class,
                f -> assertThat(f.text()).isEqualTo(" ask no"));
        assertThat(end.get(1)).isEqualTo(new TranscriptEvent.End(seconds(1.3)));
        assertThatThrownBy(() -> processor.insert(new float[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onceLongerThanTheBoundTheBufferIsCutAtTheEndOfTheLastConfirmedSegment() {
        OnlineProcessor processor = new OnlineProcessor(StreamingOptions.builder().bufferTrimming(Duration.ofSeconds(3))
                .maxBuffer(Duration.ofSeconds(10)).build());
        // two sentences, each a segment; the engine hears what lies in the window, times relative to it
        List<Word> truth = List.of(w("one", 0.2, 0.6), w("two", 0.8, 1.2), w("three", 2.5, 2.9), w("four", 3.1, 3.4));
        BiFunction<Duration, Integer, List<Segment>> engine = (start, n) -> heard(truth, List.of(2), start, n);
        for (int i = 0; i < 4; i++) {
            step(processor, 1.0, engine);
        }
        // after 4 s: "one two" confirmed at 3 s, the buffer (4 s) passed the 3 s bound and was cut after "two"
        assertThat(texts(finalWords(events))).containsExactly("one", "two", "three");
        assertThat(processor.buffered()).isEqualTo(seconds(4 - 1.2));
        step(processor, 1.0, engine);
        OnlineProcessor.Window last = windows.getLast();
        assertThat(last.start()).isEqualTo(seconds(1.2));
        assertThat(last.prompt()).as("text cut from the buffer becomes the prompt").isEqualTo("one two");
        assertThat(texts(finalWords(events))).containsExactly("one", "two", "three", "four");
        assertThat(finalWords(events).getLast().start()).as("times stay on the stream's timeline")
                .isEqualTo(seconds(3.1));
    }

    @Test
    void sentenceTrimmingCutsAtTheEndOfTheLastConfirmedSentence() {
        OnlineProcessor processor = new OnlineProcessor(StreamingOptions.builder().trimming(Trimming.SENTENCE)
                .bufferTrimming(Duration.ofSeconds(2)).maxBuffer(Duration.ofSeconds(10))
                .decoding(TranscriptionOptions.builder().initialPrompt("Kennedy.").build()).build());
        List<Word> truth = List.of(w("Yes.", 0.2, 0.6), w("And", 0.8, 1.2), w("so?", 1.4, 1.8), w("my", 2.2, 2.6));
        // one segment only: segment trimming could not cut here
        BiFunction<Duration, Integer, List<Segment>> engine = (start, n) -> heard(truth, List.of(), start, n);
        for (int i = 0; i < 3; i++) {
            step(processor, 1.0, engine);
        }
        assertThat(texts(finalWords(events))).containsExactly("Yes.", "And", "so?");
        assertThat(processor.buffered()).isEqualTo(seconds(3 - 1.8));
        step(processor, 1.0, engine);
        assertThat(windows.getLast().prompt()).isEqualTo("Kennedy. Yes. And so?");
    }

    @Test
    void whenNothingAgreesTheOldestWordsAreConfirmedAsTheyStandToBoundTheBuffer() {
        StreamingOptions options = StreamingOptions.builder().bufferTrimming(Duration.ofSeconds(4))
                .maxBuffer(Duration.ofSeconds(8)).build();
        OnlineProcessor processor = new OnlineProcessor(options);
        Random random = new Random(1);
        // a new text every time, one word per 0.5 s of the window: hypotheses never agree
        BiFunction<Duration, Integer, List<Segment>> engine = (start, n) -> {
            List<Word> words = new ArrayList<>();
            for (double t = 0; t + 0.4 <= n / (double) RATE; t += 0.5) {
                words.add(w("noise" + random.nextInt(1_000_000), t, t + 0.4));
            }
            return words.isEmpty() ? List.of() : List.of(segment(words));
        };
        for (int i = 0; i < 40; i++) {
            step(processor, 1.0, engine);
            assertThat(processor.buffered()).isLessThanOrEqualTo(options.maxBuffer());
        }
        // the full buffer was transcribed twice (agreement 2) before its words were confirmed as they stood
        assertThat(windows.stream().filter(w -> w.samples().length == 8 * RATE).count()).isGreaterThan(1);
        assertThat(windows).allSatisfy(w -> assertThat(w.samples().length).isLessThanOrEqualTo(8 * RATE));
        List<Word> confirmed = finalWords(events);
        assertThat(confirmed).isNotEmpty();
        for (int i = 1; i < confirmed.size(); i++) {
            assertThat(confirmed.get(i).start()).isGreaterThanOrEqualTo(confirmed.get(i - 1).end());
        }
    }

    @Test
    void silenceProducesNoTextAndKeepsTheBufferBounded() {
        StreamingOptions options = StreamingOptions.builder().bufferTrimming(Duration.ofSeconds(5))
                .maxBuffer(Duration.ofSeconds(10)).build();
        OnlineProcessor processor = new OnlineProcessor(options);
        int fed = 0;
        for (int i = 0; i < 100; i++) {
            fed += processor.full() ? 0 : 1;
            step(processor, 1.0, (start, n) -> List.of());
            assertThat(processor.buffered()).isLessThanOrEqualTo(options.maxBuffer());
        }
        assertThat(events).isEmpty();
        assertThat(processor.finish()).containsExactly(new TranscriptEvent.End(seconds(fed)));
    }

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    /**
     * Random scripts, chunkings and options, an imperfect engine: the confirmed text is always a prefix of the script
     * (so what is confirmed never needs to change), and confirmed text plus the final flush is the whole script.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void confirmedTextIsNeverWrongAndWithTheFlushIsTheWholeStream(long seed) {
        Random random = new Random(seed);
        boolean sentences = random.nextBoolean();
        ScriptedSpeech speech = new ScriptedSpeech(seed, sentences);
        Duration minChunk = Duration.ofMillis(300 + random.nextInt(1700));
        Duration bound = Duration.ofMillis(3000 + random.nextInt(12_000));
        StreamingOptions options = StreamingOptions.builder().minChunk(minChunk).bufferTrimming(bound)
                .maxBuffer(bound.plus(minChunk).plusMillis(1000 + random.nextInt(15_000)))
                .agreement(2 + random.nextInt(2)).trimming(sentences ? Trimming.SENTENCE : Trimming.SEGMENT).build();
        OnlineProcessor processor = new OnlineProcessor(options);
        List<String> script = texts(speech.words());
        long total = Math.round(speech.duration * RATE);
        long fed = 0;
        while (fed < total) {
            if (!processor.full()) {
                int chunk = (int) Math.min(total - fed, 160 + random.nextInt(3 * RATE));
                processor.insert(new float[chunk]);
                fed += chunk;
            }
            assertThat(processor.due() || !processor.full()).as("a full buffer always has a window due").isTrue();
            if (processor.due()) {
                OnlineProcessor.Window window = processor.window();
                assertThat(window.samples().length).isLessThanOrEqualTo((int) (seconds(options.maxBuffer()) * RATE));
                events.addAll(processor.accept(window, speech.hear(window.start(), window.samples().length)));
                List<String> confirmed = texts(finalWords(events));
                assertThat(confirmed).as("seed %d: confirmed so far", seed)
                        .isEqualTo(script.subList(0, confirmed.size()));
            }
        }
        if (processor.untranscribed().isPositive()) {
            OnlineProcessor.Window window = processor.window();
            events.addAll(processor.accept(window, speech.hear(window.start(), window.samples().length)));
        }
        events.addAll(processor.finish());

        assertThat(TextNormalizer.normalize(finalText(events))).as("seed %d", seed)
                .isEqualTo(TextNormalizer.normalize(String.join(" ", script)));
        List<Word> confirmed = finalWords(events);
        List<Word> truth = speech.words();
        for (int i = 0; i < truth.size(); i++) {
            assertThat(seconds(confirmed.get(i).start())).as("seed %d, start of %s", seed, truth.get(i).text())
                    .isCloseTo(seconds(truth.get(i).start()), within(0.031));
        }
        assertThat(events.getLast()).isEqualTo(new TranscriptEvent.End(seconds(total / (double) RATE)));
        assertThat(events.stream().filter(e -> e instanceof TranscriptEvent.Final).map(e -> (TranscriptEvent.Final) e)
                .toList()).allSatisfy(f -> assertThat(f.text()).isEqualTo(
                        String.join("", f.words().stream().map(w -> " " + w.text()).toList())));
    }

    /** Feeds {@code seconds} of audio unless the buffer is full, then transcribes the window with {@code engine}. */
    private void step(OnlineProcessor processor, double seconds, BiFunction<Duration, Integer, List<Segment>> engine) {
        if (!processor.full()) {
            processor.insert(new float[(int) Math.round(seconds * RATE)]);
        }
        assertThat(processor.due()).isTrue();
        OnlineProcessor.Window window = processor.window();
        windows.add(window);
        events.addAll(processor.accept(window, engine.apply(window.start(), window.samples().length)));
    }

    /**
     * The words of {@code truth} that lie wholly in the window, relative to it, as segments that end before the word
     * indices in {@code breaks}.
     */
    private static List<Segment> heard(List<Word> truth, List<Integer> breaks, Duration start, int samples) {
        Duration end = start.plus(Duration.ofNanos(samples * (1_000_000_000L / RATE)));
        List<Segment> segments = new ArrayList<>();
        List<Word> current = new ArrayList<>();
        for (int i = 0; i < truth.size(); i++) {
            Word word = truth.get(i);
            if (breaks.contains(i) && !current.isEmpty()) {
                segments.add(segment(current));
                current = new ArrayList<>();
            }
            if (word.start().compareTo(start) >= 0 && word.end().compareTo(end) <= 0) {
                current.add(new Word(word.start().minus(start), word.end().minus(start), word.text(), Float.NaN));
            }
        }
        if (!current.isEmpty()) {
            segments.add(segment(current));
        }
        return segments;
    }
}
