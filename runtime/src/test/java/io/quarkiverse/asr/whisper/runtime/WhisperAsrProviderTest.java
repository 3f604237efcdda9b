package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Token;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.Word;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The provider on real decoder output: the random-weight model turns real audio into several segments of text, so
 * streaming, word folding, cancellation, timeouts and concurrency are checked on transcripts with content.
 */
class WhisperAsrProviderTest {

    private static final Duration AWAIT = Duration.ofMinutes(1);
    /**
     * Long enough for whisper.cpp to finish the spectrogram, which it does not abort, and notice the abort at the next
     * encoder or decoder step, even on a loaded machine; far less than decoding the long audio takes.
     */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final TranscriptionOptions WORDS = TranscriptionOptions.builder().wordTimestamps(true).build();

    static WhisperAsrProvider provider;
    static AudioInput longAudio;

    private final List<Throwable> dropped = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        provider = WhisperAsrProvider.create(TestData.englishModel(), TestData.settings(2, 2, Optional.empty()));
        longAudio = TestData.longAudio();
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    @BeforeEach
    void collectDroppedFailures() {
        Infrastructure.setDroppedExceptionHandler(dropped::add);
    }

    @AfterEach
    void nothingWasDropped() {
        Infrastructure.resetDroppedExceptionHandler();
        assertThat(dropped).as("failures sent after the subscriber left, which Mutiny logs as errors").isEmpty();
    }

    private static Transcript transcribe(WhisperAsrProvider asr, AudioInput audio, TranscriptionOptions options) {
        return asr.transcribe(audio, options).await().atMost(AWAIT);
    }

    @Test
    void transcribesRealAudioIntoDeterministicSegments() {
        Transcript jfk = transcribe(provider, AudioInput.of(TestData.JFK), WORDS);

        assertThat(jfk.segments()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(jfk.text()).isNotBlank()
                .isEqualTo(String.join("", jfk.segments().stream().map(Segment::text).toList()).strip());
        assertThat(jfk.language()).isEqualTo("en");
        assertThat(jfk.duration()).isEqualTo(Duration.ofMillis(11_000));
        Duration previousEnd = Duration.ZERO;
        for (Segment segment : jfk.segments()) {
            assertThat(segment.start()).as(segment.text()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(segment.end()).as(segment.text()).isGreaterThan(segment.start()).isLessThanOrEqualTo(jfk.duration());
            previousEnd = segment.end();
        }
        assertThat(transcribe(provider, AudioInput.of(TestData.JFK), WORDS)).isEqualTo(jfk);
        assertThat(transcribe(provider, AudioInput.of(TestData.SHORT), WORDS).text()).isNotBlank()
                .isNotEqualTo(jfk.text());
    }

    @Test
    void transcribeSegmentsEmitsTheSegmentsOfTranscribe() {
        Transcript transcript = transcribe(provider, AudioInput.of(TestData.JFK), WORDS);

        List<Segment> streamed = provider.transcribeSegments(AudioInput.of(TestData.JFK), WORDS).collect().asList()
                .await().atMost(AWAIT);

        assertThat(streamed).isNotEmpty().isEqualTo(transcript.segments());
    }

    @Test
    void wordsFoldTheTokensOfEachSegment() {
        assertWordsFoldTheTokens(transcribe(provider, AudioInput.of(TestData.JFK), WORDS));
        assertThat(transcribe(provider, AudioInput.of(TestData.JFK), TranscriptionOptions.defaults()).segments())
                .as("words only when asked for").allSatisfy(segment -> assertThat(segment.words()).isEmpty());
    }

    @Test
    void wordsStayInTheirSegmentWhenDecodingStartsAfterTheFirstTimestamp() {
        // with a prompt the first segment starts later than 0 s; whisper.cpp's token times still count from 0 s there
        Transcript prompted = transcribe(provider, AudioInput.of(TestData.JFK),
                WORDS.toBuilder().initialPrompt("Kennedy, Americans").build());

        assertThat(prompted.segments().getFirst().start()).isPositive();
        assertWordsFoldTheTokens(prompted);
    }

    private static void assertWordsFoldTheTokens(Transcript transcript) {
        assertThat(transcript.segments().stream().mapToInt(s -> s.words().size()).sum()).isGreaterThanOrEqualTo(30);
        for (Segment segment : transcript.segments()) {
            assertThat(String.join("", segment.tokens().stream().map(Token::text).toList()))
                    .as("the text tokens make the segment text").isEqualTo(segment.text());
            assertThat(String.join("", segment.words().stream().map(Word::text).toList()))
                    .as("the words make the segment text").isEqualTo(segment.text().replaceAll("\\s", ""));
            Duration previousStart = segment.start();
            for (Word word : segment.words()) {
                assertThat(word.text()).as(segment.text()).isNotBlank();
                assertThat(word.start()).as("%s in %s", word, segment).isGreaterThanOrEqualTo(previousStart);
                assertThat(word.end()).as("%s in %s", word, segment).isGreaterThanOrEqualTo(word.start())
                        .isLessThanOrEqualTo(segment.end());
                assertThat(word.probability()).as(word.toString()).isBetween(0f, 1f);
                previousStart = word.start();
            }
        }
    }

    @Test
    void cancellingTheSegmentStreamStopsTheDecoder() {
        Transcript before = transcribe(provider, AudioInput.of(TestData.JFK), WORDS);

        // ten minutes of audio give hundreds of segments over many seconds; the first one ends the subscription
        List<Segment> first = provider.transcribeSegments(longAudio, TranscriptionOptions.defaults())
                .select().first(1).collect().asList().await().atMost(AWAIT);
        long cancelled = System.nanoTime();

        assertThat(first).hasSize(1);
        assertStopsPromptly(cancelled);
        assertThat(transcribe(provider, AudioInput.of(TestData.JFK), WORDS))
                .as("the aborted state decodes as before").isEqualTo(before);
    }

    @Test
    void cancellingTheTranscriptionStopsTheDecoder() throws InterruptedException {
        Transcript before = transcribe(provider, AudioInput.of(TestData.JFK), WORDS);
        AtomicReference<Object> outcome = new AtomicReference<>();

        Cancellable running = provider.transcribe(longAudio, TranscriptionOptions.defaults()).subscribe()
                .with(outcome::set, outcome::set);
        assertThat(TestData.await(() -> provider.activeTranscriptions() == 1, AWAIT)).as("started").isTrue();
        Thread.sleep(1000); // past the spectrogram, into the encoder and decoder of the first windows
        running.cancel();
        long cancelled = System.nanoTime();

        assertStopsPromptly(cancelled);
        assertThat(transcribe(provider, AudioInput.of(TestData.JFK), WORDS))
                .as("the aborted state decodes as before").isEqualTo(before);
        assertThat(outcome.get()).as("a cancelled subscriber hears nothing more").isNull();
    }

    @Test
    void theTimeoutStopsTheDecoder() {
        try (WhisperAsrProvider limited = WhisperAsrProvider.create(TestData.englishModel(),
                TestData.settings(1, 0, Optional.of(Duration.ofSeconds(1))))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> transcribe(limited, longAudio, TranscriptionOptions.defaults()))
                    .isInstanceOf(TranscriptionTimeoutException.class)
                    .hasMessageContaining("took longer than PT1S")
                    .satisfies(e -> assertThat(((AsrException) e).retryable()).as("retryable").isTrue());
            long failed = System.nanoTime();

            // ordering only: the limit passed before the failure; how soon after depends on the machine's load
            assertThat(Duration.ofNanos(failed - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(TestData.await(() -> limited.activeTranscriptions() == 0, PROMPTLY))
                    .as("whisper.cpp still runs %s after the timeout", PROMPTLY).isTrue();
        }
    }

    @Test
    void concurrentTranscriptionsGiveTheSequentialResults() {
        Transcript jfk = transcribe(provider, AudioInput.of(TestData.JFK), WORDS);
        Transcript sentence = transcribe(provider, AudioInput.of(TestData.SHORT), WORDS);

        CompletableFuture<Transcript> first = provider.transcribe(AudioInput.of(TestData.JFK), WORDS)
                .subscribeAsCompletionStage();
        CompletableFuture<Transcript> second = provider.transcribe(AudioInput.of(TestData.SHORT), WORDS)
                .subscribeAsCompletionStage();
        int mostAtOnce = 0;
        while (!first.isDone() || !second.isDone()) {
            mostAtOnce = Math.max(mostAtOnce, provider.activeTranscriptions());
            TestData.pause();
        }

        assertThat(mostAtOnce).as("both states decoded at once").isEqualTo(2);
        assertThat(first.join()).isEqualTo(jfk);
        assertThat(second.join()).isEqualTo(sentence);
    }

    @Test
    void aFullQueueIsRefusedAtOnce() {
        try (WhisperAsrProvider single = WhisperAsrProvider.create(TestData.englishModel(),
                TestData.settings(1, 1, Optional.empty()))) {
            Cancellable running = single.transcribe(longAudio, TranscriptionOptions.defaults()).subscribe()
                    .with(t -> {
                    }, f -> {
                    });
            Cancellable queued = single.transcribe(longAudio, TranscriptionOptions.defaults()).subscribe()
                    .with(t -> {
                    }, f -> {
                    });
            assertThat(TestData.await(() -> single.activeTranscriptions() == 1, AWAIT)).as("started").isTrue();

            assertThatThrownBy(() -> transcribe(single, AudioInput.of(TestData.JFK), TranscriptionOptions.defaults()))
                    .isInstanceOfSatisfying(OverloadedException.class, e -> {
                        assertThat(e.retryAfter()).isPresent();
                        assertThat(e.retryable()).isTrue();
                    })
                    .hasMessageContaining("busy");
            assertThat(single.activeTranscriptions()).as("refused while the first one still runs").isEqualTo(1);
            assertThat(single.overloaded()).as("told without admitting a request").get()
                    .satisfies(e -> assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive()));

            queued.cancel();
            running.cancel();
            assertThat(TestData.await(() -> single.activeTranscriptions() == 0, PROMPTLY)).isTrue();
            assertThat(TestData.await(() -> single.overloaded().isEmpty(), PROMPTLY)).as("room again").isTrue();
        }
    }

    @Test
    void aWorkerIsFreeAgainWhenItsResultArrives() {
        try (WhisperAsrProvider single = WhisperAsrProvider.create(TestData.englishModel(),
                TestData.settings(1, 0, Optional.empty()))) {
            // no queue: each request is sent the moment the previous one is answered, and must find the worker free
            AudioInput notAudio = AudioInput.of("not audio".getBytes(StandardCharsets.UTF_8), "notes.txt");
            for (int i = 0; i < 200; i++) {
                assertThatThrownBy(() -> transcribe(single, notAudio, TranscriptionOptions.defaults()))
                        .isInstanceOf(UnsupportedAudioException.class);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(transcribe(single, AudioInput.of(TestData.SHORT), TranscriptionOptions.defaults()).text())
                        .isNotBlank();
            }
        }
    }

    private static void assertStopsPromptly(long cancelledNanos) {
        assertThat(TestData.await(() -> provider.activeTranscriptions() == 0, PROMPTLY))
                .as("whisper.cpp still runs %s after the cancellation", PROMPTLY).isTrue();
        System.out.printf("whisper.cpp stopped %d ms after the cancellation%n",
                (System.nanoTime() - cancelledNanos) / 1_000_000);
    }
}
