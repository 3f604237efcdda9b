package io.quarkiverse.asr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkiverse.asr.whisper.runtime.PackagedModels;

/**
 * The Kubernetes manifests that the application's build generated (quarkus-kubernetes), read after the package phase
 * (failsafe): probes on the health endpoints, resources, the model volume where the provider looks for it, and the
 * concurrency settings as environment variables. See docs/scaling.md.
 */
class KubernetesManifestIT {

    private static final Path MANIFESTS = Path.of(System.getProperty("asr.kubernetes.dir", "target/kubernetes"));

    private static JsonNode deployment;
    private static JsonNode container;

    @BeforeAll
    static void readManifests() throws IOException {
        List<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
                .<JsonNode> readValues(MANIFESTS.resolve("kubernetes.yml").toFile()).readAll();
        assertThat(documents).extracting(d -> d.path("kind").asText()).contains("Deployment", "Service");
        deployment = documents.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst()
                .orElseThrow();
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertThat(containers).hasSize(1);
        container = containers.get(0);
    }

    @Test
    void probesAskTheHealthChecks() {
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        int port = container.at("/ports/0/containerPort").asInt();
        assertThat(port).isEqualTo(8080);
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asInt()).as(probe).isEqualTo(port);
        }
        // the model loads before the application is started: the startup probe waits up to a minute for it
        JsonNode startup = container.path("startupProbe");
        assertThat(startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt())
                .isGreaterThanOrEqualTo(60);
    }

    @Test
    void resourcesMatchTheWorkers() throws IOException {
        JsonNode resources = container.path("resources");
        assertThat(resources.at("/requests/memory").asText()).isEqualTo("768Mi");
        assertThat(resources.at("/limits/memory").asText()).isEqualTo(resources.at("/requests/memory").asText());
        assertThat(resources.at("/limits/cpu").isMissingNode()).as("no CPU quota").isTrue();
        // every whisper.cpp thread of every worker has a requested core
        Map<String, String> env = environment();
        int workers = Integer.parseInt(env.get("QUARKUS_ASR_WHISPER_MAX_CONCURRENT_REQUESTS"));
        int threads = Integer.parseInt(env.get("QUARKUS_ASR_WHISPER_THREADS"));
        assertThat(resources.at("/requests/cpu").asText()).isEqualTo(String.valueOf(workers * threads));
        assertThat(env).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=50 " + demoJvmOptionsButHeap());
    }

    /** The demo's JVM options (jvm.options, which its launcher uses), less the heap sizes, which the pod's size sets. */
    private static String demoJvmOptionsButHeap() throws IOException {
        return String.join(" ", Stream.of(Files.readString(Path.of("jvm.options")).strip().split("\\s+"))
                .filter(option -> !option.startsWith("-Xms") && !option.startsWith("-Xmx")).toList());
    }

    @Test
    void concurrencyLimitIsSetPerDeployment() {
        assertThat(environment())
                .containsEntry("QUARKUS_ASR_WHISPER_MAX_CONCURRENT_REQUESTS", "2")
                .containsEntry("QUARKUS_ASR_WHISPER_MAX_QUEUED_REQUESTS", "4")
                .containsEntry("QUARKUS_ASR_WHISPER_THREADS", "1");
    }

    @Test
    void modelComesFromAVolumeWhereTheProviderLooks() throws IOException {
        JsonNode mount = container.at("/volumeMounts/0");
        assertThat(mount.path("mountPath").asText()).isEqualTo("/deployments/" + PackagedModels.FOLDER);
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
        JsonNode volume = deployment.at("/spec/template/spec/volumes/0");
        assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
        assertThat(volume.at("/persistentVolumeClaim/claimName").asText()).isEqualTo("whisper-models");

        // the claim must hold the file the package holds, under the same name: the build's model
        Path packaged = MANIFESTS.resolveSibling("quarkus-app").resolve(PackagedModels.FOLDER);
        String model = TestData.trainedModel().map(Path::getFileName).map(Path::toString)
                .orElse("for-tests-ggml-espeak-mini.en.bin");
        try (Stream<Path> files = Files.list(packaged)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(model);
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }
}
