package io.quarkiverse.asr.spi.streaming;

import static io.quarkiverse.asr.spi.streaming.Words.finalWords;
import static io.quarkiverse.asr.spi.streaming.Words.seconds;
import static io.quarkiverse.asr.spi.streaming.Words.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AudioChunk;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.vad.FrameClassifier;
import io.quarkiverse.asr.spi.vad.VadParameters;
import io.quarkiverse.asr.spi.vad.VoiceActivityDetector;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.Cancellable;

class LiveTranscriberTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService ENGINE = Executors.newFixedThreadPool(2,
            r -> new Thread(r, "engine-" + THREADS.incrementAndGet()));
    /** A 40-word script of about 25 s with pauses long enough for segments, ending in silence. */
    private static final ToneSpeech SPEECH = new ToneSpeech(7, 40, 0.8);

    @AfterAll
    static void stopEngine() {
        ENGINE.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(ints = { 10, 100, 1000, 5000 })
    void chunksFrom10MillisecondsTo5SecondsGiveTheWholeScriptWithItsTimes(int chunkMillis) {
        List<TranscriptEvent> events = transcribe(chunks(SPEECH.render(16000), 16000, chunkMillis),
                StreamingOptions.defaults());
        assertWholeScript(SPEECH, events);
    }

    @ParameterizedTest
    @ValueSource(ints = { 8000, 11025, 22050, 44100, 48000 })
    void sampleRatesFrom8To48KilohertzGiveTheSameResult(int rate) {
        List<TranscriptEvent> events = transcribe(chunks(SPEECH.render(rate), rate, 20), StreamingOptions.defaults());
        assertWholeScript(SPEECH, events);
    }

    @Test
    void aStreamThatEndsMidWordConfirmsThePartHeard() {
        ToneSpeech speech = new ToneSpeech(11, 12, 0);
        Word last = speech.words.getLast();
        double cut = (seconds(last.start()) + seconds(last.end())) / 2;
        float[] audio = Arrays.copyOf(speech.render(16000), (int) Math.round(cut * 16000));

        List<TranscriptEvent> events = transcribe(chunks(audio, 16000, 300), StreamingOptions.defaults());

        assertThat(texts(finalWords(events))).isEqualTo(texts(speech.words));
        assertThat(seconds(finalWords(events).getLast().end())).isCloseTo(cut, within(0.011));
        assertThat(events.getLast()).isEqualTo(new TranscriptEvent.End(seconds(audio.length / 16000.0)));
    }

    @Test
    void silenceGivesNoTextAndAnEmptyStreamJustEnds() {
        assertThat(transcribe(chunks(new float[16000 * 40], 16000, 500), StreamingOptions.defaults()))
                .containsExactly(new TranscriptEvent.End(Duration.ofSeconds(40)));
        assertThat(transcribe(Multi.createFrom().empty(), StreamingOptions.defaults()))
                .containsExactly(new TranscriptEvent.End(Duration.ZERO));
    }

    /**
     * VAD gating with a detector that takes loud frames for speech: chunks of 10 ms and 5 s give the whole script with
     * its times, and no window the engine gets holds a silence longer than the one that ends an utterance (and the
     * padding and a frame).
     */
    @ParameterizedTest
    @ValueSource(ints = { 10, 5000 })
    void vadSendsOnlySpeechAndGivesTheWholeScript(int chunkMillis) {
        StreamingOptions options = StreamingOptions.builder().vad(true).vadSilence(Duration.ofMillis(300)).build();
        List<Double> silences = new CopyOnWriteArrayList<>();
        WindowTranscriber engine = (samples, prompt) -> {
            silences.add(longestSilence(samples));
            return ToneSpeech.hear(samples, prompt);
        };
        List<TranscriptEvent> events = LiveTranscriber.transcribe(chunks(SPEECH.render(16000), 16000, chunkMillis),
                engine, options, ENGINE, new LoudFrames(), NO_MINIMUM_SPEECH).collect().asList().await().atMost(WAIT);

        // an utterance's window starts off the stream's 10 ms grid, which the engine's frames follow
        assertWholeScript(SPEECH, events, 0.0101);
        // the script has pauses of 0.5 to 2 s, which a window over the whole buffer would hold
        assertThat(silences).isNotEmpty().allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(0.3 + 0.06 + 0.032));
    }

    /**
     * The processor at real-time pace (10 ms chunks, a window as soon as one is due): with utterance finals each
     * {@code Final} is one whole utterance, the pause before the next at least the silence that ends one, where
     * LocalAgreement confirms words within utterances; the whole script either way.
     */
    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void utteranceFinalsConfirmWholeUtterances(boolean utteranceFinals) {
        StreamingOptions options = StreamingOptions.builder().vad(true).vadSilence(Duration.ofMillis(300))
                .utteranceFinals(utteranceFinals).build();
        OnlineProcessor processor = new OnlineProcessor(options, new LoudFrames(), NO_MINIMUM_SPEECH);
        float[] audio = SPEECH.render(16000);
        List<TranscriptEvent> events = new ArrayList<>();
        for (int at = 0; at < audio.length; at += 160) {
            processor.insert(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + 160)));
            while (processor.due()) {
                events.addAll(hear(processor));
            }
        }
        processor.endOfAudio();
        while (processor.due() || processor.untranscribed().isPositive()) {
            events.addAll(hear(processor));
        }
        events.addAll(processor.finish());

        assertWholeScript(SPEECH, events, 0.0101);
        List<TranscriptEvent.Final> finals = events.stream().filter(TranscriptEvent.Final.class::isInstance)
                .map(TranscriptEvent.Final.class::cast).toList();
        long withinUtterances = IntStream.range(1, finals.size())
                .filter(i -> finals.get(i).start().minus(finals.get(i - 1).end()).toMillis() < 300).count();
        if (utteranceFinals) {
            assertThat(withinUtterances).isZero();
        } else {
            assertThat(withinUtterances).isPositive();
        }
    }

    private static List<TranscriptEvent> hear(OnlineProcessor processor) {
        OnlineProcessor.Window window = processor.window();
        return processor.accept(window, ToneSpeech.hear(window.samples(), window.prompt()).await().atMost(WAIT));
    }

    @Test
    void vadNeverCallsTheEngineOnSilence() {
        AtomicInteger calls = new AtomicInteger();
        WindowTranscriber engine = (samples, prompt) -> {
            calls.incrementAndGet();
            return ToneSpeech.hear(samples, prompt);
        };
        List<TranscriptEvent> events = LiveTranscriber.transcribe(chunks(new float[16000 * 20], 16000, 100), engine,
                StreamingOptions.builder().vad(true).build(), ENGINE, new LoudFrames(), NO_MINIMUM_SPEECH)
                .collect().asList().await().atMost(WAIT);

        assertThat(events).containsExactly(new TranscriptEvent.End(Duration.ofSeconds(20)));
        assertThat(calls).hasValue(0);
    }

    private static final VadParameters NO_MINIMUM_SPEECH = new VadParameters(0.5f, 0, 100, Float.MAX_VALUE, 30);

    /** The longest run of silent 10 ms frames, in seconds. */
    private static double longestSilence(float[] samples) {
        int longest = 0;
        int run = 0;
        for (int at = 0; at + 160 <= samples.length; at += 160) {
            run = LoudFrames.loud(samples, at, 160) ? 0 : run + 1;
            longest = Math.max(longest, run);
        }
        return longest * 0.01;
    }

    /** A detector for tone speech: a 32 ms frame is speech when its RMS is above 0.05. */
    private static final class LoudFrames implements VoiceActivityDetector {
        @Override
        public int frameSamples() {
            return 512;
        }

        @Override
        public FrameClassifier newClassifier() {
            return new FrameClassifier() {
                @Override
                public int frameSamples() {
                    return 512;
                }

                @Override
                public float next(float[] samples, int offset) {
                    return loud(samples, offset, 512) ? 1f : 0f;
                }

                @Override
                public void reset() {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }

        static boolean loud(float[] samples, int offset, int n) {
            double energy = 0;
            for (int i = offset; i < offset + n; i++) {
                energy += samples[i] * samples[i];
            }
            return Math.sqrt(energy / n) > 0.05;
        }
    }

    @Test
    void engineCallsRunOnTheGivenExecutorWithTheConfirmedTextAsPrompt() {
        List<String> threads = new CopyOnWriteArrayList<>();
        List<String> prompts = new CopyOnWriteArrayList<>();
        WindowTranscriber engine = (samples, prompt) -> {
            threads.add(Thread.currentThread().getName());
            prompts.add(prompt);
            return ToneSpeech.hear(samples, prompt);
        };
        StreamingOptions options = StreamingOptions.builder().bufferTrimming(Duration.ofSeconds(5))
                .maxBuffer(Duration.ofSeconds(10)).build();
        List<TranscriptEvent> events = LiveTranscriber.transcribe(chunks(SPEECH.render(16000), 16000, 100), engine,
                options, ENGINE).collect().asList().await().atMost(WAIT);

        assertWholeScript(SPEECH, events);
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("engine-"));
        // once the buffer was cut, the words cut away condition the next windows
        String confirmed = String.join(" ", texts(finalWords(events)));
        assertThat(prompts.getLast()).isNotEmpty();
        assertThat(confirmed).contains(prompts.getLast());
    }

    @Test
    void whenTheEngineFallsBehindStepsCoverMoreAudioAndTheSourceWaitsForRoom() throws InterruptedException {
        StreamingOptions options = StreamingOptions.builder().bufferTrimming(Duration.ofSeconds(4))
                .maxBuffer(Duration.ofSeconds(8)).build();
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> windows = new CopyOnWriteArrayList<>();
        WindowTranscriber engine = (samples, prompt) -> {
            windows.add(samples.length);
            Uni<java.util.List<io.quarkiverse.asr.spi.Segment>> heard = ToneSpeech.hear(samples, prompt);
            // the first call waits until the source has filled the buffer
            return windows.size() == 1 ? heard.onItem().call(() -> Uni.createFrom().item(() -> {
                awaitQuietly(release);
                return null;
            })) : heard;
        };
        AtomicInteger delivered = new AtomicInteger();
        Multi<AudioChunk> source = chunks(SPEECH.render(16000), 16000, 250).onItem()
                .invoke(delivered::incrementAndGet);

        AssertSubscriber<TranscriptEvent> subscriber = LiveTranscriber.transcribe(source, engine, options, ENGINE)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        // 8 s of buffer in 250 ms chunks: the source is asked for at most 32 chunks while the first call (on the
        // first second) is stuck, so it never gets ahead by more than the buffer bound
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (delivered.get() < 32 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertThat(delivered.get()).isEqualTo(32);
        release.countDown();

        subscriber.awaitCompletion(WAIT);
        assertWholeScript(SPEECH, subscriber.getItems());
        assertThat(windows.get(1)).as("the second call covers all the audio that arrived meanwhile")
                .isEqualTo(8 * 16000);
        assertThat(windows).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(8 * 16000));
    }

    @Test
    void aSlowConsumerGetsEveryEventInOrder() throws InterruptedException {
        AssertSubscriber<TranscriptEvent> subscriber = LiveTranscriber.transcribe(
                chunks(SPEECH.render(16000), 16000, 1000), ToneSpeech::hear, StreamingOptions.defaults(), ENGINE)
                .subscribe().withSubscriber(AssertSubscriber.create(0));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!subscriber.hasCompleted() && subscriber.getFailure() == null && System.nanoTime() < deadline) {
            int seen = subscriber.getItems().size();
            subscriber.request(1);
            while (subscriber.getItems().size() == seen && !subscriber.hasCompleted() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(subscriber.getItems()).as("one event per request").hasSizeLessThanOrEqualTo(seen + 1);
        }
        subscriber.awaitCompletion(WAIT);
        assertWholeScript(SPEECH, subscriber.getItems());
    }

    @Test
    void cancellingCancelsTheSourceAndTheEngineCallInFlight() throws InterruptedException {
        CountDownLatch engineStarted = new CountDownLatch(1);
        CountDownLatch engineCancelled = new CountDownLatch(1);
        CountDownLatch sourceCancelled = new CountDownLatch(1);
        WindowTranscriber engine = (samples, prompt) -> Uni.createFrom().emitter(e -> {
            e.onTermination(engineCancelled::countDown);
            engineStarted.countDown();
        });
        Multi<AudioChunk> endless = Multi.createFrom().<AudioChunk> emitter(e -> {
            e.onTermination(sourceCancelled::countDown);
            for (int i = 0; i < 20; i++) {
                e.emit(new AudioChunk(new float[4800], 48000));
            }
        });

        Cancellable subscription = LiveTranscriber.transcribe(endless, engine, StreamingOptions.defaults(), ENGINE)
                .subscribe().with(item -> {
                }, failure -> {
                });
        assertThat(engineStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        subscription.cancel();

        assertThat(engineCancelled.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("engine call cancelled").isTrue();
        assertThat(sourceCancelled.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("source cancelled").isTrue();
    }

    @Test
    void failuresAreTyped() {
        WindowTranscriber broken = (samples, prompt) -> Uni.createFrom().failure(new ModelException("model gone"));
        assertFailure(LiveTranscriber.transcribe(chunks(new float[32000], 16000, 100), broken,
                StreamingOptions.defaults(), ENGINE), ModelException.class, "model gone");

        WindowTranscriber crashing = (samples, prompt) -> {
            throw new IllegalStateException("bug");
        };
        assertFailure(LiveTranscriber.transcribe(chunks(new float[32000], 16000, 100), crashing,
                StreamingOptions.defaults(), ENGINE), AsrException.class, "bug");

        Multi<AudioChunk> changing = Multi.createFrom().items(new AudioChunk(new float[1600], 16000),
                new AudioChunk(new float[4410], 44100));
        assertFailure(LiveTranscriber.transcribe(changing, ToneSpeech::hear, StreamingOptions.defaults(), ENGINE),
                UnsupportedAudioException.class, "from 16000 Hz to 44100 Hz");

        Multi<AudioChunk> absurd = Multi.createFrom().items(new AudioChunk(new float[10], 16_000_000 * 2));
        assertFailure(LiveTranscriber.transcribe(absurd, ToneSpeech::hear, StreamingOptions.defaults(), ENGINE),
                UnsupportedAudioException.class, "32000000 Hz");
    }

    @Test
    void voiceActivityDetectionIsRefusedUntilADetectorIsWiredIn() {
        assertFailure(LiveTranscriber.transcribe(chunks(new float[16000], 16000, 100), ToneSpeech::hear,
                StreamingOptions.builder().vad(true).build(), ENGINE), UnsupportedFeatureException.class, "voice");
    }

    private static void assertFailure(Multi<TranscriptEvent> events, Class<? extends Throwable> type, String message) {
        AssertSubscriber<TranscriptEvent> subscriber = events.subscribe().withSubscriber(AssertSubscriber.create(10));
        subscriber.awaitFailure(WAIT);
        assertThat(subscriber.getFailure()).isInstanceOf(type).hasMessageContaining(message);
    }

    private static List<TranscriptEvent> transcribe(Multi<AudioChunk> audio, StreamingOptions options) {
        return LiveTranscriber.transcribe(audio, ToneSpeech::hear, options, ENGINE).collect().asList().await()
                .atMost(WAIT);
    }

    /** All the words, confirmed once each in order, with their times; the stream's length at the end. */
    private static void assertWholeScript(ToneSpeech speech, List<TranscriptEvent> events) {
        assertWholeScript(speech, events, 0.0051);
    }

    /** @param tolerance on word times: the engine's 10 ms frames start where its window starts */
    private static void assertWholeScript(ToneSpeech speech, List<TranscriptEvent> events, double tolerance) {
        List<Word> confirmed = finalWords(events);
        assertThat(texts(confirmed)).isEqualTo(texts(speech.words));
        for (int i = 0; i < confirmed.size(); i++) {
            assertThat(seconds(confirmed.get(i).start())).as("start of word %d", i)
                    .isCloseTo(seconds(speech.words.get(i).start()), within(tolerance));
            assertThat(seconds(confirmed.get(i).end())).as("end of word %d", i)
                    .isCloseTo(seconds(speech.words.get(i).end()), within(tolerance));
        }
        assertThat(events.getLast()).isInstanceOfSatisfying(TranscriptEvent.End.class,
                end -> assertThat(seconds(end.duration())).isCloseTo(speech.duration, within(0.001)));
        assertThat(events.stream().filter(e -> e instanceof TranscriptEvent.End).count()).isOne();
    }

    private static Multi<AudioChunk> chunks(float[] audio, int rate, int millis) {
        int size = Math.max(1, rate * millis / 1000);
        List<AudioChunk> chunks = new ArrayList<>();
        for (int at = 0; at < audio.length; at += size) {
            chunks.add(new AudioChunk(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + size)), rate));
        }
        return Multi.createFrom().iterable(chunks);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
