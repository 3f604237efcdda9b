package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A {@code stork://} base URL over three real whisper-servers (static list): requests spread over all three with
 * round-robin and with least-response-time, and when one server stops in the middle of the run, the requests it would
 * have had go to the others: none is lost.
 */
class StorkBalancedTest {

    private static final String SENTENCE = "Speech recognition turns spoken words into written text.";
    private static final TranscriptionOptions ENGLISH = TranscriptionOptions.builder().language("en")
            .temperature(0f).build();
    /** Started and stopped in the test's class loader; the application's sees them by their pids. */
    private static final List<WhisperServerProcess> SERVERS = new ArrayList<>();
    private static final String PIDS = "asr.test.stork-pids";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, WhisperServerProcess.class))
            .setBeforeAllCustomizer(() -> {
                List<String> addresses = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) {
                        WhisperServerProcess server = WhisperServerProcess.start("whisper-server-stork-" + i, "");
                        SERVERS.add(server);
                        addresses.add(server.url().substring("http://".length()));
                    }
                } catch (RuntimeException e) {
                    // after a failed start no after-all runs: stop the servers that did start
                    SERVERS.forEach(WhisperServerProcess::close);
                    throw e;
                }
                System.setProperty("asr.test.stork-addresses", String.join(",", addresses));
                System.setProperty(PIDS, String.join(",", SERVERS.stream().map(s -> Long.toString(s.pid())).toList()));
            })
            .setAfterAllCustomizer(() -> SERVERS.forEach(WhisperServerProcess::close))
            .overrideConfigKey("quarkus.asr.provider", "remote")
            .overrideConfigKey("quarkus.asr.remote.api", "whisper-server")
            .overrideConfigKey("quarkus.asr.remote.base-url", "stork://whisper")
            .overrideConfigKey("quarkus.asr.remote.retry.delay", "10MS")
            .overrideConfigKey("quarkus.asr.remote.\"fastest\".api", "whisper-server")
            .overrideConfigKey("quarkus.asr.remote.\"fastest\".base-url", "stork://whisper-lrt")
            .overrideConfigKey("quarkus.stork.whisper.service-discovery.type", "static")
            .overrideConfigKey("quarkus.stork.whisper.service-discovery.address-list", "${asr.test.stork-addresses}")
            .overrideConfigKey("quarkus.stork.whisper.load-balancer.type", "round-robin")
            .overrideConfigKey("quarkus.stork.whisper-lrt.service-discovery.type", "static")
            .overrideConfigKey("quarkus.stork.whisper-lrt.service-discovery.address-list",
                    "${asr.test.stork-addresses}")
            .overrideConfigKey("quarkus.stork.whisper-lrt.load-balancer.type", "least-response-time");

    @Inject
    AsrProvider roundRobin;

    @Inject
    @AsrProviderName("fastest")
    AsrProvider leastResponseTime;

    @Test
    void roundRobinSpreadsTheRequestsAndLosesNoneWhenAServerStops() {
        List<ProcessHandle> servers = servers();
        List<Duration> before = cpu(servers);
        for (int i = 0; i < 6; i++) {
            assertThat(transcribe(roundRobin)).as("request %d", i).isEqualTo(SENTENCE);
        }
        List<Duration> after = cpu(servers);
        for (int i = 0; i < servers.size(); i++) {
            // each server decoded two of the six sentences
            assertThat(after.get(i).minus(before.get(i))).as("server %d's CPU time", i)
                    .isGreaterThan(Duration.ofMillis(20));
        }

        servers.get(1).destroy();
        WhisperServerProcess.awaitGone(servers.get(1).pid(), WhisperServerProcess.HANG);
        for (int i = 0; i < 6; i++) {
            assertThat(transcribe(roundRobin)).as("request %d after a server stopped", i).isEqualTo(SENTENCE);
        }
    }

    @Test
    void leastResponseTimeAnswersEveryRequest() {
        for (int i = 0; i < 6; i++) {
            assertThat(transcribe(leastResponseTime)).as("request %d", i).isEqualTo(SENTENCE);
        }
    }

    private static String transcribe(AsrProvider provider) {
        return provider.transcribe(AudioInput.of(TestData.SYNTHETIC.resolve("s06.wav")), ENGLISH).await()
                .atMost(WhisperServerProcess.HANG).text();
    }

    private static List<ProcessHandle> servers() {
        return Arrays.stream(System.getProperty(PIDS).split(","))
                .map(pid -> ProcessHandle.of(Long.parseLong(pid)).orElseThrow()).toList();
    }

    private static List<Duration> cpu(List<ProcessHandle> servers) {
        return servers.stream().map(server -> server.info().totalCpuDuration().orElse(Duration.ZERO)).toList();
    }
}
