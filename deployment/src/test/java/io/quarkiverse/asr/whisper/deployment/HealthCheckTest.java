package io.quarkiverse.asr.whisper.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

class HealthCheckTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestData.class))
            .overrideConfigKey("quarkus.asr.whisper.model", TestData.TINY_EN_MODEL.toString());

    @Test
    void reportsLibraryModelBackendAndDevice() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Whisper speech-to-text"))
                .body("checks[0].data.libraryVersion", equalTo("1.7.1"))
                .body("checks[0].data.model", equalTo("for-tests-ggml-tiny.en.bin"))
                .body("checks[0].data.modelLoaded", equalTo(true))
                .body("checks[0].data.backend", not(emptyString()))
                .body("checks[0].data.device", not(emptyString()))
                .body("checks[0].data.systemInfo", not(emptyString()));
    }
}
