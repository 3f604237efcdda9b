package io.quarkiverse.asr.whisper.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.whisper.natives.FullParams;
import io.quarkiverse.asr.whisper.natives.FullResult;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Leases, the engine's API for work that decodes more than once (live sessions), on the random-weight model and real
 * audio.
 */
class WhisperEngineTest {

    private static final Duration AWAIT = Duration.ofMinutes(1);
    /** As in {@link WhisperAsrProviderTest}: time to notice an abort, far less than decoding the long audio takes. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final FullParams PARAMS = FullParams.builder().threads(1).language("en").build();

    private static float[] jfk;
    private static float[] longAudio;

    @BeforeAll
    static void audio() {
        jfk = AudioInput.of(TestData.JFK).decode(WhisperAsrProvider.SAMPLE_RATE).samples();
        longAudio = TestData.longAudio().decode(WhisperAsrProvider.SAMPLE_RATE).samples();
    }

    @Test
    void aLeaseKeepsItsStateForAllItsDecodesAndLeavesItToTheNextLease() {
        try (WhisperEngine engine = WhisperEngine.start(TestData.englishModel(), TestData.settings(1, 1,
                Optional.empty()))) {
            WhisperEngine.Lease first = engine.lease();
            FullResult once = decode(first, jfk);
            assertThat(decode(first, jfk)).as("the second decode on the same state").isEqualTo(once);
            assertThat(engine.decodingStates()).isEqualTo(1);

            WhisperEngine.Lease second = engine.lease();
            assertThat(decode(second, jfk)).isEqualTo(once);
            assertThat(engine.decodingStates()).as("the first lease's state is its own until it closes").isEqualTo(2);

            first.close();
            second.close();
            assertThat(engine.decodingStates()).as("one state kept for the one worker").isEqualTo(1);
            try (WhisperEngine.Lease third = engine.lease()) {
                assertThat(decode(third, jfk)).isEqualTo(once);
                assertThat(engine.decodingStates()).as("the kept state is reused").isEqualTo(1);
            }
        }
    }

    @Test
    void aLeaseIsAdmittedOnceAndClosingItAdmitsTheNext() {
        try (WhisperEngine engine = WhisperEngine.start(TestData.englishModel(), TestData.settings(1, 0,
                Optional.empty()))) {
            WhisperEngine.Lease held = engine.lease();
            decode(held, jfk);
            decode(held, jfk);

            assertThatThrownBy(engine::lease).isInstanceOf(OverloadedException.class).hasMessageContaining("busy");
            assertThatThrownBy(() -> engine.once(decoder -> decoder.full(jfk, PARAMS, null)).await().atMost(AWAIT))
                    .isInstanceOf(OverloadedException.class);

            held.close();
            held.close();
            assertThat(engine.once(decoder -> decoder.full(jfk, PARAMS, null)).await().atMost(AWAIT).text())
                    .isNotBlank();
        }
    }

    @Test
    void closingALeaseStopsItsDecodeAndFreesItsAdmission() throws InterruptedException {
        try (WhisperEngine engine = WhisperEngine.start(TestData.englishModel(), TestData.settings(1, 0,
                Optional.empty()))) {
            WhisperEngine.Lease lease = engine.lease();
            CountDownLatch decoding = new CountDownLatch(1);
            CompletableFuture<FullResult> running = lease
                    .run(decoder -> decoder.full(longAudio, PARAMS, segment -> decoding.countDown()))
                    .subscribeAsCompletionStage();
            // a first segment: past the spectrogram, which whisper.cpp does not abort, into the decoder
            assertThat(decoding.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).as("decoding").isTrue();

            lease.close();

            assertThat(TestData.await(running::isDone, PROMPTLY)).as("whisper.cpp still runs %s after the close", PROMPTLY)
                    .isTrue();
            assertThatThrownBy(running::join).hasCauseInstanceOf(CancelledException.class);
            assertThat(TestData.await(() -> engine.activeDecodes() == 0, PROMPTLY)).isTrue();
            try (WhisperEngine.Lease next = engine.lease()) {
                assertThat(decode(next, jfk).text()).isNotBlank();
            }
            assertThatThrownBy(() -> decode(lease, jfk)).isInstanceOf(ProviderUnavailableException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void closingTheEngineClosesOpenLeasesAndFreesTheirStates() throws InterruptedException {
        WhisperEngine engine = WhisperEngine.start(TestData.englishModel(), TestData.settings(2, 0, Optional.empty()));
        WhisperEngine.Lease idle = engine.lease();
        decode(idle, jfk);
        WhisperEngine.Lease decoding = engine.lease();
        CountDownLatch segment = new CountDownLatch(1);
        CompletableFuture<FullResult> running = decoding
                .run(decoder -> decoder.full(longAudio, PARAMS, s -> segment.countDown()))
                .subscribeAsCompletionStage();
        assertThat(segment.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).as("decoding").isTrue();
        assertThat(engine.decodingStates()).isEqualTo(2);

        engine.close();

        assertThat(running).isCompletedExceptionally();
        assertThat(engine.decodingStates()).as("states left in memory").isZero();
        assertThat(engine.isModelLoaded()).isFalse();
        assertThatThrownBy(() -> decode(idle, jfk)).isInstanceOf(ProviderUnavailableException.class);
        assertThatThrownBy(engine::lease).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("shut down");
        idle.close();
        decoding.close();
    }

    /**
     * Work before whisper.cpp, decoding the upload, hears the cancellation too (issue 12: a bomb went on decoding for
     * minutes after its client had left): the decode, started once the caller has cancelled, stops at its first step.
     */
    @Test
    void decodingTheUploadStopsWhenTheCallerCancels() throws Exception {
        byte[] wav = Files.readAllBytes(TestData.JFK);
        try (WhisperEngine engine = WhisperEngine.start(TestData.englishModel(), TestData.settings(1, 0,
                Optional.empty()))) {
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Object> decoding = new CompletableFuture<>();
            Cancellable call = engine.once(decoder -> {
                started.countDown();
                // as a long decode runs into the cancellation between two of its steps
                TestData.await(decoder::cancelled, AWAIT);
                try {
                    decoding.complete(AudioInput.of(wav, "jfk.wav").decode(16000, decoder::cancelled));
                } catch (RuntimeException e) {
                    decoding.complete(e);
                }
                return null;
            }).subscribe().with(done -> {
            }, failure -> {
            });
            assertThat(started.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).as("running").isTrue();

            call.cancel();

            assertThat(decoding.get(AWAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(CancelledException.class)
                    .hasToString(CancelledException.class.getName() + ": jfk.wav: decoding was cancelled");
        }
    }

    private static FullResult decode(WhisperEngine.Lease lease, float[] samples) {
        return lease.run(decoder -> decoder.full(samples, PARAMS, null)).await().atMost(AWAIT);
    }
}
