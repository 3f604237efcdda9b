package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.remote.runtime.RemoteAsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The remote provider running its own whisper-server (the real 1.9.3 binary of ../shared, espeak mini model): it
 * transcribes through it, survives the child being killed with {@code SIGKILL} in the middle of a request (that request
 * fails as retryable, the next one waits for the restarted server and succeeds), and leaves no process behind when the
 * application stops.
 */
class SupervisedWhisperServerTest {

    /** The server processes the test saw, checked for after the application has stopped. */
    private static final String PIDS = "asr.test.supervised-pids";
    private static final TranscriptionOptions ENGLISH = TranscriptionOptions.builder().language("en")
            .temperature(0f).build();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, WhisperServerProcess.class))
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.server.binary", WhisperServerProcess.BINARY.toString())
            .overrideConfigKey("quarkus.asr.remote.server.model", TestData.ESPEAK_MINI_MODEL.toString())
            .overrideConfigKey("quarkus.asr.remote.server.threads", "1")
            .overrideConfigKey("quarkus.asr.remote.server.restart.delay", "200MS")
            .setBeforeAllCustomizer(() -> System.setProperty(PIDS, ""))
            .setAfterAllCustomizer(() -> {
                for (String pid : System.getProperty(PIDS).split(",")) {
                    if (!pid.isEmpty()) {
                        WhisperServerProcess.awaitGone(Long.parseLong(pid), Duration.ofSeconds(10));
                    }
                }
            });

    @Inject
    RemoteAsrProvider provider;

    @Test
    void transcribesThroughTheServerItRuns() {
        long pid = serverPid();
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        assertThat(server.info().command().map(Path::of)).contains(realPath(WhisperServerProcess.BINARY));
        // under the watchdog shell, a child of this JVM
        assertThat(server.parent().flatMap(ProcessHandle::parent)).contains(ProcessHandle.current());
        assertThat(provider.info().details().get("baseUrl")).startsWith("http://127.0.0.1:");

        Transcript transcript = transcribe("s01");
        assertThat(transcript.text()).isEqualTo("The quick brown fox jumps over the lazy dog near the river bank.");
        assertThat(provider.checkReady().await().atMost(Duration.ofSeconds(10))).isNull();
    }

    @Test
    void aServerKilledMidRequestFailsItRetryablyAndIsRestartedForTheNext() throws Exception {
        long killed = serverPid();
        ProcessHandle server = ProcessHandle.of(killed).orElseThrow();
        Duration cpuBefore = server.info().totalCpuDuration().orElse(Duration.ZERO);
        CompletableFuture<Transcript> inFlight = provider.transcribe(
                AudioInput.of(TestData.SYNTHETIC.resolve("long-form.wav")), ENGLISH).subscribeAsCompletionStage();

        // decoding has begun when the server spends CPU time on it; two minutes of audio keep it busy for seconds
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.info().totalCpuDuration().orElse(Duration.ZERO).minus(cpuBefore).toMillis() < 200) {
            assertThat(System.nanoTime()).as("the server never started decoding").isLessThan(deadline);
            assertThat(inFlight).as("the request ended before the server was killed").isNotDone();
            Thread.sleep(20);
        }
        assertThat(inFlight).isNotDone();
        server.destroyForcibly();

        assertThat(inFlight).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ProviderUnavailableException.class,
                        e -> assertThat(e.retryable()).isTrue());

        // the next request waits for the restarted server
        assertThat(transcribe("s23").text()).isEqualTo("Could you please repeat the last number of the order?");
        assertThat(serverPid()).isNotEqualTo(killed);
        assertThat(ProcessHandle.of(killed).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private Transcript transcribe(String sentence) {
        return provider.transcribe(AudioInput.of(TestData.SYNTHETIC.resolve(sentence + ".wav")), ENGLISH).await()
                .atMost(Duration.ofMinutes(1));
    }

    /** The running server's pid, remembered for the check after the application stops. */
    private long serverPid() {
        long pid = provider.serverPid().orElseThrow();
        System.setProperty(PIDS, System.getProperty(PIDS) + "," + pid);
        return pid;
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
