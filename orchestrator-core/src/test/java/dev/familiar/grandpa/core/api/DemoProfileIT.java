package dev.familiar.grandpa.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The demo profile runs tasks to DONE on in-process stand-ins, and the API says they are stand-ins. */
class DemoProfileIT {

    @Test
    void theDemoFinishesATaskAndLabelsItsModelsAsStandInsEvenWhereItsPortsAreTaken() throws Exception {
        var db = TestPostgres.newDatabase();
        var properties = Grandpa.defaults(db);
        properties.put("spring.profiles.active", "demo");
        ServerSocket taken = null;
        try {
            taken = new ServerSocket(18480, 1, InetAddress.getLoopbackAddress()); // another demo, a test, anything
        } catch (java.io.IOException e) {
            // taken already: the case this test is about
        }
        try (var grandpa = Grandpa.start(properties)) {
            assertThat(grandpa.context().getEnvironment().getProperty("grandpa.model.base-url"))
                    .doesNotContain(":18480/");
            var models = grandpa.get("/api/models").body();
            assertThat(models.path("grandpa").path("standIn").asBoolean()).isTrue();
            assertThat(models.path("backends")).hasSize(2).allMatch(b -> b.path("standIn").asBoolean());
            assertThat(models.toString()).doesNotContain("apiKey");

            UUID id = grandpa.submit("Try grandpa without a GPU");
            var task = grandpa.awaitStatus(id, Duration.ofSeconds(30), "DONE");
            assertThat(task.path("result").asString()).contains("stand-in");
        } finally {
            if (taken != null) {
                taken.close();
            }
        }
        // the owner switches to a real configuration: the demo's stand-ins leave with the demo
        try (var models = new dev.familiar.grandpa.core.testing.Models("real-coder")) {
            var real = Grandpa.defaults(db);
            real.putAll(models.properties(1, Duration.ofSeconds(5)));
            try (var grandpa = Grandpa.start(real)) {
                assertThat(grandpa.get("/api/backends").body()).singleElement()
                        .satisfies(b -> assertThat(b.path("name").asString()).isEqualTo("real-coder"));
            }
        }
    }
}
