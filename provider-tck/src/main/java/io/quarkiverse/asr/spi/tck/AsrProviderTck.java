package io.quarkiverse.asr.spi.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Capability;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderInfo;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;
import io.quarkiverse.asr.spi.Word;
import io.quarkiverse.asr.spi.audio.PcmAudio;
import io.quarkiverse.asr.spi.audio.WavEncoder;
import io.quarkiverse.asr.spi.eval.WordErrorRate;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Conformance tests of the {@link AsrProvider} contract. A provider's test class extends it, supplies the provider and
 * a recording of speech, and every test here runs against that provider:
 *
 * <pre>
 * class MyProviderTckTest extends AsrProviderTck {
 *     protected AsrProvider provider() { return provider; }
 *     protected AudioInput speech() { return AudioInput.of(Path.of("jfk.wav")); }
 * }
 * </pre>
 * <p>
 * The provider must turn the speech into at least one segment (a trained model does; so does a random-weight test
 * model) and be deterministic for the same audio and options at temperature 0, since several tests compare two
 * transcriptions. Features the provider does not declare in {@link ProviderInfo#capabilities()} must be refused with
 * {@link UnsupportedFeatureException}; tests of features it does declare are skipped when a check has nothing to
 * check. Every call is bounded by {@link #timeout()}: a call that takes longer fails its test as a hang.
 * <p>
 * JUnit Jupiter is an optional dependency of the SPI: the provider's tests bring it.
 */
public abstract class AsrProviderTck {

    private static final Pattern LANGUAGE_CODE = Pattern.compile("[a-z]{2,3}");
    /** The sample rate the kit decodes the speech to, to know its duration and to pass it as samples. */
    private static final int SAMPLE_RATE = 16_000;
    /** Decoders and providers may disagree on the last partial frame. */
    private static final Duration DURATION_TOLERANCE = Duration.ofMillis(50);
    private static final TranscriptionOptions DETERMINISTIC = TranscriptionOptions.builder().temperature(0f).build();

    /** The provider under test. Called by every test; may return the same instance each time. */
    protected abstract AsrProvider provider();

    /** A recording of speech that the provider transcribes into at least one segment; WAV or any decodable format. */
    protected abstract AudioInput speech();

    /** The language spoken in {@link #speech()}, as an ISO 639-1 code. */
    protected String speechLanguage() {
        return "en";
    }

    /**
     * What {@link #speech()} says, when the provider is expected to recognise it; empty for untrained models. When
     * given, the transcript, its words, its streamed segments and the transcript of its samples must all match it.
     */
    protected Optional<String> expectedText() {
        return Optional.empty();
    }

    /** The highest word error rate accepted against {@link #expectedText()}. */
    protected double maxWordErrorRate() {
        return 0.25;
    }

    /** The longest a single call may take before the test counts it as a hang. */
    protected Duration timeout() {
        return Duration.ofMinutes(2);
    }

    @Test
    void describesItselfCoherently() {
        ProviderInfo info = provider().info();
        assertNotNull(info, "info()");
        assertFalse(info.name().isBlank(), "info().name() is blank");
        assertFalse(info.model().isBlank(), "info().model() is blank");
        assertTrue(info.supports(Capability.FILE_TRANSCRIPTION), "every provider transcribes files: " + info);
        if (info.supports(Capability.WORD_TIMESTAMPS)) {
            assertTrue(info.supports(Capability.SEGMENT_TIMESTAMPS), "word timestamps without segment timestamps");
        }
        assertEquals(info, provider().info(), "info() changes from call to call");
    }

    @Test
    void transcribesSpeechIntoOrderedSegmentsWithinTheAudio() {
        Transcript transcript = await(provider().transcribe(speech(), DETERMINISTIC));

        Duration audio = decodedSpeech().duration();
        assertTrue(transcript.duration().minus(audio).abs().compareTo(DURATION_TOLERANCE) <= 0,
                "duration " + transcript.duration() + " is not the audio's " + audio);
        assertFalse(transcript.segments().isEmpty(), "no segments for speech");
        assertTimeline(transcript);
        assertEquals(collapse(String.join("", transcript.segments().stream().map(Segment::text).toList())),
                collapse(transcript.text()), "the text is not the segments' text");
        assertNotNull(transcript.language(), "no language reported");
        assertTrue(LANGUAGE_CODE.matcher(transcript.language()).matches(),
                "language is not an ISO 639 code: " + transcript.language());
        assertExpectedText(transcript.text(), "the transcript");
    }

    @Test
    void reportsTheRequestedLanguage() {
        TranscriptionOptions options = DETERMINISTIC.toBuilder().language(speechLanguage()).build();
        assertEquals(speechLanguage(), await(provider().transcribe(speech(), options)).language());
    }

    @Test
    void placesWordsWithinTheirSegments() {
        TranscriptionOptions options = DETERMINISTIC.toBuilder().wordTimestamps(true).build();
        if (!provider().info().supports(Capability.WORD_TIMESTAMPS)) {
            assertUnsupportedFeature(() -> provider().transcribe(speech(), options), "word timestamps");
            return;
        }
        Transcript transcript = await(provider().transcribe(speech(), options));
        assertTimeline(transcript);
        List<Word> all = new ArrayList<>();
        for (Segment segment : transcript.segments()) {
            Word previous = null;
            for (Word word : segment.words()) {
                assertFalse(word.text().isBlank(), "blank word in " + segment);
                assertEquals(word.text().strip(), word.text(), "word with surrounding spaces in " + segment);
                assertFalse(word.start().isNegative() || word.end().compareTo(word.start()) < 0, "word times " + word);
                assertTrue(word.start().compareTo(segment.start()) >= 0 && word.end().compareTo(segment.end()) <= 0,
                        "word " + word + " outside its segment " + segment.start() + ".." + segment.end());
                assertTrue(previous == null || word.start().compareTo(previous.start()) >= 0,
                        "words out of order: " + previous + ", " + word);
                float p = word.probability();
                assertTrue(Float.isNaN(p) || (p >= 0f && p <= 1f), "word probability " + p);
                previous = word;
                all.add(word);
            }
        }
        assertFalse(all.isEmpty(), "word timestamps asked for, but no segment has words");
        assertExpectedText(String.join(" ", all.stream().map(Word::text).toList()), "the words");
    }

    @Test
    void leavesWordsOutUnlessAskedFor() {
        TranscriptionOptions options = DETERMINISTIC.toBuilder().wordTimestamps(false).build();
        Transcript transcript = await(provider().transcribe(speech(), options));
        assertFalse(transcript.segments().isEmpty(), "no segments for speech");
        transcript.segments().forEach(s -> assertTrue(s.words().isEmpty(), "words not asked for: " + s));
    }

    @Test
    void refusesFeaturesItDoesNotDeclare() {
        ProviderInfo info = provider().info();
        Map<Capability, TranscriptionOptions> requests = Map.of(
                Capability.TRANSLATION, TranscriptionOptions.builder().translate(true).build(),
                Capability.BEAM_SEARCH, TranscriptionOptions.builder().beamSize(4).build(),
                Capability.INITIAL_PROMPT, TranscriptionOptions.builder().initialPrompt("Kennedy").build(),
                Capability.WORD_TIMESTAMPS, TranscriptionOptions.builder().wordTimestamps(true).build());
        List<Capability> lacking = requests.keySet().stream().filter(c -> !info.supports(c)).sorted().toList();
        assumeFalse(lacking.isEmpty(), "the provider declares every feature an option can ask for");
        for (Capability capability : lacking) {
            assertUnsupportedFeature(() -> provider().transcribe(speech(), requests.get(capability)),
                    capability.name());
        }
    }

    @Test
    void refusesLiveAudioWithoutStreaming() {
        assumeFalse(provider().info().supports(Capability.STREAMING), "the provider declares streaming");
        Multi<?> events = call(() -> provider().transcribe(Multi.createFrom().empty(), StreamingOptions.defaults()));
        Throwable failure = failureOf(events.collect().asList());
        assertInstanceOf(UnsupportedFeatureException.class, failure, "streaming without the capability");
    }

    @Test
    void failsTheUniForDataThatIsNotAudio() {
        List<AudioInput> notAudio = List.of(
                AudioInput.of("This is a text file, not a recording.".getBytes(StandardCharsets.UTF_8), "notes.txt"),
                AudioInput.of(new byte[0], "empty.wav"),
                AudioInput.of(Arrays.copyOf(speechAsWav(), 40), "truncated.wav"),
                AudioInput.of(Path.of("target", "no-such-recording.wav").toAbsolutePath()));
        for (AudioInput input : notAudio) {
            Throwable failure = failureOf(call(() -> provider().transcribe(input, DETERMINISTIC)));
            assertInstanceOf(UnsupportedAudioException.class, failure, input.name());
            Throwable streamed = failureOf(call(() -> provider().transcribeSegments(input, DETERMINISTIC))
                    .collect().asList());
            assertInstanceOf(UnsupportedAudioException.class, streamed, "transcribeSegments of " + input.name());
        }
    }

    @Test
    void transcribesSamplesLikeTheFileTheyWereDecodedFrom() {
        Transcript file = await(provider().transcribe(speech(), DETERMINISTIC));
        PcmAudio pcm = decodedSpeech();
        Transcript samples = await(provider().transcribe(AudioInput.ofSamples(pcm.samples(), pcm.sampleRate()),
                DETERMINISTIC));
        assertSameSegments(file.segments(), samples.segments());
        assertExpectedText(samples.text(), "the transcript of the samples");
    }

    @Test
    void streamsTheSegmentsItTranscribes() {
        TranscriptionOptions options = DETERMINISTIC.toBuilder().wordTimestamps(
                provider().info().supports(Capability.WORD_TIMESTAMPS)).build();
        Transcript whole = await(provider().transcribe(speech(), options));
        List<Segment> streamed = await(call(() -> provider().transcribeSegments(speech(), options)).collect().asList());
        assertSameSegments(whole.segments(), streamed);
        assertExpectedText(String.join("", streamed.stream().map(Segment::text).toList()), "the streamed segments");
    }

    @Test
    void survivesCancellation() throws InterruptedException {
        Transcript reference = await(provider().transcribe(speech(), DETERMINISTIC));

        // cancelled before any work, and cancelled while working
        for (long delayMillis : new long[] { 0, 200 }) {
            CountDownLatch subscribed = new CountDownLatch(1);
            Cancellable cancellable = call(() -> provider().transcribe(speech(), DETERMINISTIC))
                    .onSubscription().invoke(subscribed::countDown)
                    .subscribe().with(item -> {
                    }, failure -> {
                    });
            assertTrue(subscribed.await(timeout().toMillis(), TimeUnit.MILLISECONDS), "never subscribed");
            Thread.sleep(delayMillis);
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(cancellable::cancel);
            try {
                cancel.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                fail("cancel() did not return within 10 s", e);
            }
        }
        Transcript after = await(provider().transcribe(speech(), DETERMINISTIC));
        assertSameSegments(reference.segments(), after.segments());
    }

    @Test
    void concurrentRequestsSucceedOrReportOverload() {
        Transcript reference = await(provider().transcribe(speech(), DETERMINISTIC));
        List<CompletableFuture<Transcript>> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(call(() -> provider().transcribe(speech(), DETERMINISTIC)).subscribeAsCompletionStage());
        }
        int completed = 0;
        for (CompletableFuture<Transcript> request : requests) {
            try {
                Transcript transcript = request.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
                assertSameSegments(reference.segments(), transcript.segments());
                completed++;
            } catch (java.util.concurrent.TimeoutException e) {
                fail("a concurrent request did not finish within " + timeout(), e);
            } catch (ExecutionException e) {
                assertInstanceOf(OverloadedException.class, e.getCause(), "a concurrent request failed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
            }
        }
        assertTrue(completed > 0, "every one of three concurrent requests was refused");
    }

    /** Segments, start and end times, text, and the words' times and text agree. */
    private static void assertSameSegments(List<Segment> expected, List<Segment> actual) {
        assertEquals(expected.size(), actual.size(), "number of segments");
        for (int i = 0; i < expected.size(); i++) {
            Segment e = expected.get(i);
            Segment a = actual.get(i);
            int index = i;
            assertAll("segment " + i,
                    () -> assertEquals(e.start(), a.start(), "start of segment " + index),
                    () -> assertEquals(e.end(), a.end(), "end of segment " + index),
                    () -> assertEquals(e.text(), a.text(), "text of segment " + index),
                    () -> assertEquals(e.words().stream().map(AsrProviderTck::timedWord).toList(),
                            a.words().stream().map(AsrProviderTck::timedWord).toList(), "words of segment " + index));
        }
    }

    /** When {@link #expectedText()} is given, {@code text} matches it within {@link #maxWordErrorRate()}. */
    private void assertExpectedText(String text, String what) {
        expectedText().ifPresent(expected -> {
            double wer = WordErrorRate.of(expected, text).wer();
            assertTrue(wer <= maxWordErrorRate(), "word error rate " + wer + " of " + what + " \"" + text
                    + "\" against \"" + expected + "\"");
        });
    }

    private static String timedWord(Word word) {
        return word.text() + "@" + word.start().toMillis() + "-" + word.end().toMillis();
    }

    private void assertTimeline(Transcript transcript) {
        Duration limit = transcript.duration().plus(DURATION_TOLERANCE);
        Segment previous = null;
        for (Segment segment : transcript.segments()) {
            assertNotNull(segment.text(), "segment text");
            assertFalse(segment.start().isNegative(), "segment starts before the audio: " + segment);
            assertTrue(segment.end().compareTo(segment.start()) >= 0, "segment ends before it starts: " + segment);
            assertTrue(segment.end().compareTo(limit) <= 0,
                    "segment ends after the audio (" + transcript.duration() + "): " + segment);
            assertTrue(previous == null || segment.start().compareTo(previous.end()) >= 0,
                    "segments overlap or are out of order: " + previous + ", " + segment);
            previous = segment;
        }
    }

    private void assertUnsupportedFeature(Supplier<Uni<Transcript>> request, String feature) {
        Throwable failure = failureOf(call(request));
        assertInstanceOf(UnsupportedFeatureException.class, failure, feature + " without the capability");
    }

    private PcmAudio decodedSpeech() {
        return speech().decode(SAMPLE_RATE);
    }

    /** The speech as a 16-bit WAV file, to cut short. */
    private byte[] speechAsWav() {
        return WavEncoder.encode(decodedSpeech());
    }

    /** Providers report failures through the Uni or Multi, never by throwing from the call. */
    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new AssertionError("the call threw instead of failing its Uni/Multi", e);
        }
    }

    private <T> T await(Uni<T> uni) {
        try {
            return uni.await().atMost(timeout());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + timeout(), e);
        } catch (AsrException e) {
            throw new AssertionError("failed: " + e, e);
        } catch (RuntimeException e) {
            throw new AssertionError("failed with an untyped exception (not an AsrException)", e);
        }
    }

    /** The failure of {@code uni}, which must be an {@link AsrException} and come within the timeout. */
    private Throwable failureOf(Uni<?> uni) {
        Object item;
        try {
            item = uni.await().atMost(timeout());
        } catch (TimeoutException e) {
            throw new AssertionError("neither a result nor a failure within " + timeout(), e);
        } catch (RuntimeException e) {
            assertInstanceOf(AsrException.class, e, "failed with an untyped exception");
            return e;
        }
        throw new AssertionError("expected a failure, got a " + (item == null ? null : item.getClass().getSimpleName()));
    }

    private static String collapse(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
