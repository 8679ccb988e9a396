package dev.familiar.grandpa.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.testkit.standin.StandInServerMain;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** grandpa runs its model's server as a process: tasks wait while it loads or restarts, none fails. */
class RuntimeSupervisionIT {

    @org.junit.jupiter.api.io.TempDir
    Path slotFiles;

    @Test
    void tasksWaitWhileTheModelServerLoadsOrRestartsAndTheServerStopsWithTheService() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = {java, "-cp", System.getProperty("java.class.path"), StandInServerMain.class.getName(),
                "--port", Integer.toString(port), "--load-ms", "1500", "--responder", StandInGrandpa.class.getName(),
                "--slot-save-path", slotFiles.toString(), "--prompt-rate", "2000", "--generate-rate", "40"};
        try (var models = new Models("coder-a", "coder-b")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(10)));
            properties.put("grandpa.model.base-url", "http://127.0.0.1:" + port + "/v1");
            for (int i = 0; i < command.length; i++) {
                properties.put("grandpa.runtime.command[" + i + "]", command[i]);
            }
            properties.put("grandpa.runtime.poll-interval", "100ms");
            properties.put("grandpa.runtime.min-backoff", "200ms");
            properties.put("grandpa.model.checkpoint-every", "1");
            long pid;
            try (var grandpa = Grandpa.start(properties)) {
                UUID early = grandpa.submit("Submitted while the model loads");
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> grandpa.get("/api/runtime").body().path("status").path("state").asString().equals("READY"));
                grandpa.awaitStatus(early, Duration.ofSeconds(30), "DONE");
                var runtime = grandpa.get("/api/runtime").body();
                assertThat(runtime.path("mode").asString()).isEqualTo("supervised");
                assertThat(runtime.path("status").path("buffersMiB").path("CUDA0 weights").asDouble()).isEqualTo(1234.5);
                // its speed as the stand-in logs it after each request, a model of 2,000 and 40 tokens a second: the answers
                // count, grandpa's prompts (under 512 tokens evaluated, the rest cached) are too short to
                var timings = runtime.path("status").path("timings");
                assertThat(timings.path("generation").path("tokensPerSecond").asDouble()).as(timings.toString()).isCloseTo(40, within(0.01));
                assertThat(timings.path("prompt").isNull()).as(timings.toString()).isTrue();
                var health = grandpa.get("/actuator/health").body();
                assertThat(health.path("components").path("grandpaRuntime").path("details").path("state").asString())
                        .isEqualTo("READY");

                pid = runtime.path("status").path("pid").asLong();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9 the model server
                UUID during = grandpa.submit("Submitted while the model server restarts");
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    var status = grandpa.get("/api/runtime").body().path("status");
                    return status.path("restarts").asInt() == 1 && status.path("state").asString().equals("READY");
                });
                var done = grandpa.awaitStatus(during, Duration.ofSeconds(60), "DONE");
                // the session's slot was saved before the kill and restored into the new server
                var firstCall = StreamSupport.stream(done.path("events").spliterator(), false)
                        .filter(e -> e.path("type").asString().equals("model.call")).findFirst().orElseThrow().path("data");
                assertThat(firstCall.path("cachedTokens").asInt() * 2).as(firstCall.toString())
                        .isGreaterThan(firstCall.path("promptTokens").asInt());
                var after = grandpa.get("/api/runtime").body().path("status");
                assertThat(after.path("restarts").asInt()).isEqualTo(1);
                pid = after.path("pid").asLong();
            }
            long stopped = pid;
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> ProcessHandle.of(stopped).map(p -> !p.isAlive()).orElse(true));
        }
    }
}
