package io.quarkiverse.asr.remote.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.asr.runtime.AsrProviderName;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkus.test.QuarkusUnitTest;

/**
 * How the remote provider reaches its service: over HTTPS, trusting the service's certificate through a TLS
 * configuration of the Quarkus TLS registry, and through an HTTP proxy with credentials. One application serves whisper
 * (the espeak mini model) through its OpenAI-compatible API on HTTP and on HTTPS, with a certificate made for this test
 * run, and has remote providers pointed at it each way.
 */
class RemoteTransportTest {

    private static final String SENTENCE = "Could you please repeat the last number of the order?";
    private static final Path CERTS = Path.of("target", "certs", "transport").toAbsolutePath();
    private static final String HTTPS_PORT = "asr.test.https-port";
    private static final String PROXY_PORT = "asr.test.proxy-port";
    private static final String HTTPS_API = "https://localhost:${" + HTTPS_PORT + "}/v1";
    private static final String PROXY = "localhost:${" + PROXY_PORT + "}";
    /** Started in the test's class loader; the tests, in the application's, read it over HTTP. */
    private static ForwardingProxy proxy;

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestData.class, WhisperServerProcess.class,
                    ForwardingProxy.class))
            .setBeforeAllCustomizer(() -> {
                certificates();
                System.setProperty(HTTPS_PORT, Integer.toString(WhisperServerProcess.freePort()));
                proxy = ForwardingProxy.start("asr", "s3cret");
                System.setProperty(PROXY_PORT, Integer.toString(proxy.port()));
            })
            .setAfterAllCustomizer(() -> {
                try {
                    proxy.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })
            .overrideConfigKey("quarkus.asr.provider", "whisper")
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.ESPEAK_MINI_MODEL.toString())
            .overrideConfigKey("quarkus.asr.whisper.threads", "1")
            .overrideConfigKey("quarkus.asr.openai-api.enabled", "true")
            // the service's side: HTTPS with the certificate made for this run
            .overrideConfigKey("quarkus.tls.server.key-store.p12.path", CERTS.resolve("server.p12").toString())
            .overrideConfigKey("quarkus.tls.server.key-store.p12.password", "secret")
            .overrideConfigKey("quarkus.http.tls-configuration-name", "server")
            .overrideConfigKey("quarkus.http.test-ssl-port", "${" + HTTPS_PORT + "}")
            // the client's side: a TLS configuration that trusts that certificate
            .overrideConfigKey("quarkus.tls.service.trust-store.pem.certs", CERTS.resolve("server.crt").toString())
            .overrideConfigKey("quarkus.asr.remote.\"tls\".base-url", HTTPS_API)
            .overrideConfigKey("quarkus.asr.remote.\"tls\".tls-configuration-name", "service")
            .overrideConfigKey("quarkus.asr.remote.\"untrusted\".base-url", HTTPS_API)
            .overrideConfigKey("quarkus.asr.remote.\"tls-proxied\".base-url", HTTPS_API)
            .overrideConfigKey("quarkus.asr.remote.\"tls-proxied\".tls-configuration-name", "service")
            .overrideConfigKey("quarkus.asr.remote.\"tls-proxied\".proxy-address", PROXY)
            .overrideConfigKey("quarkus.asr.remote.\"tls-proxied\".proxy-user", "asr")
            .overrideConfigKey("quarkus.asr.remote.\"tls-proxied\".proxy-password", "s3cret")
            .overrideConfigKey("quarkus.asr.remote.\"proxied\".base-url", TestData.OWN_API)
            .overrideConfigKey("quarkus.asr.remote.\"proxied\".proxy-address", PROXY)
            .overrideConfigKey("quarkus.asr.remote.\"proxied\".proxy-user", "asr")
            .overrideConfigKey("quarkus.asr.remote.\"proxied\".proxy-password", "s3cret")
            .overrideConfigKey("quarkus.asr.remote.\"wrong-password\".base-url", TestData.OWN_API)
            .overrideConfigKey("quarkus.asr.remote.\"wrong-password\".proxy-address", PROXY)
            .overrideConfigKey("quarkus.asr.remote.\"wrong-password\".proxy-user", "asr")
            .overrideConfigKey("quarkus.asr.remote.\"wrong-password\".proxy-password", "guessed")
            .overrideConfigKey("quarkus.asr.remote.\"bypass\".base-url", TestData.OWN_API)
            .overrideConfigKey("quarkus.asr.remote.\"bypass\".proxy-address", PROXY)
            .overrideConfigKey("quarkus.asr.remote.\"bypass\".non-proxy-hosts", "127.*|localhost");

    @Inject
    @AsrProviderName("tls")
    AsrProvider tls;

    @Inject
    @AsrProviderName("untrusted")
    AsrProvider untrusted;

    @Inject
    @AsrProviderName("tls-proxied")
    AsrProvider tlsProxied;

    @Inject
    @AsrProviderName("proxied")
    AsrProvider proxied;

    @Inject
    @AsrProviderName("wrong-password")
    AsrProvider wrongPassword;

    @Inject
    @AsrProviderName("bypass")
    AsrProvider bypass;

    @Test
    void theServiceIsReachedOverHttpsTrustedThroughTheTlsRegistry() {
        assertThat(transcribe(tls)).isEqualTo(SENTENCE);
    }

    @Test
    void aCertificateTheClientDoesNotTrustFailsTyped() {
        assertThatThrownBy(() -> transcribe(untrusted))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("TLS handshake")
                .hasMessageContaining("quarkus.asr.remote.\"untrusted\".tls-configuration-name")
                .satisfies(e -> assertThat(((ProviderUnavailableException) e).retryable()).isFalse());
    }

    @Test
    void theRequestGoesThroughTheProxyWithItsCredentials() {
        ProxyLog before = ProxyLog.read();

        assertThat(transcribe(proxied)).isEqualTo(SENTENCE);

        assertThat(ProxyLog.read().forwarded()).hasSize(before.forwarded().size() + 1).last().asString()
                .matches("POST http://localhost:\\d+/v1/audio/transcriptions");
    }

    /** An {@code https} service through the proxy: a tunnel, through which the TLS session runs end to end. */
    @Test
    void anHttpsServiceIsReachedThroughAProxyTunnel() {
        ProxyLog before = ProxyLog.read();

        assertThat(transcribe(tlsProxied)).isEqualTo(SENTENCE);

        assertThat(ProxyLog.read().forwarded()).hasSize(before.forwarded().size() + 1).last().asString()
                .isEqualTo("CONNECT localhost:" + System.getProperty(HTTPS_PORT));
    }

    @Test
    void aWrongProxyPasswordFailsTyped() {
        ProxyLog before = ProxyLog.read();

        assertThatThrownBy(() -> transcribe(wrongPassword))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("407")
                .hasMessageContaining("quarkus.asr.remote.\"wrong-password\".proxy-password");
        assertThat(ProxyLog.read()).isEqualTo(new ProxyLog(before.refused() + 1, before.forwarded()));
    }

    @Test
    void aNonProxyHostIsReachedDirectly() {
        ProxyLog before = ProxyLog.read();

        assertThat(transcribe(bypass)).isEqualTo(SENTENCE);

        assertThat(ProxyLog.read()).isEqualTo(before);
    }

    private static String transcribe(AsrProvider provider) {
        return provider.transcribe(AudioInput.of(TestData.SYNTHETIC.resolve("s23.wav")),
                TranscriptionOptions.builder().language("en").temperature(0f).build())
                .await().atMost(WhisperServerProcess.HANG).text();
    }

    /** What the proxy saw, read from it over HTTP: requests refused, and the request lines forwarded. */
    private record ProxyLog(int refused, List<String> forwarded) {

        static ProxyLog read() {
            try (HttpClient client = HttpClient.newHttpClient()) {
                String body = client.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + System.getProperty(PROXY_PORT) + "/forwarded")).timeout(WhisperServerProcess.HANG).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                List<String> lines = body.lines().toList();
                return new ProxyLog(Integer.parseInt(lines.getFirst()), lines.subList(1, lines.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A key pair and a self-signed certificate for {@code localhost}, made for this run with the JDK's keytool: the
     * server's PKCS#12 key store and the certificate alone in PEM, for the client's trust store.
     */
    private static void certificates() {
        Path folder = CERTS;
        try {
            Files.createDirectories(folder);
            Files.deleteIfExists(folder.resolve("server.p12"));
            Files.deleteIfExists(folder.resolve("server.crt"));
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            keytool(folder, keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", "server.p12", "-storepass", "secret");
            keytool(folder, keytool, "-exportcert", "-rfc", "-alias", "localhost", "-keystore", "server.p12",
                    "-storepass", "secret", "-file", "server.crt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(Path folder, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(folder.resolve("keytool.log").toFile()).start();
        try {
            if (!process.waitFor(WhisperServerProcess.HANG.toSeconds(), TimeUnit.SECONDS)
                    || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + Files.readString(folder.resolve("keytool.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
