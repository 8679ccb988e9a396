package dev.familiar.grandpa.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The slips of someone at the service's folder while it runs, with the built jar and its embedded
 * PostgreSQL as a user has them: a mistyped command, a second {@code serve}. Neither starts anything
 * nor touches the running service's database, and the running service stays ready.
 */
class OneServicePerFolderIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Path folder;
    static Process running;
    static int port;

    @BeforeAll
    static void aServiceRunsInItsFolder() throws Exception {
        folder = Files.createDirectories(Path.of("target", "one-service-it", UUID.randomUUID().toString()).toAbsolutePath());
        running = grandpa("--server.port=0", "--spring.main.banner-mode=off").redirectErrorStream(true)
                .redirectOutput(folder.resolve("first.log").toFile()).start();
        Path lock = folder.resolve("data/postgres.lock");
        var holder = Pattern.compile("pid (\\d+), port (\\d+)");
        await("the first service up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var m = Files.exists(lock) ? holder.matcher(Files.readString(lock)) : null;
            if (m != null && m.find()) {
                port = Integer.parseInt(m.group(2));
                return ready();
            }
            assertThat(running.isAlive()).as(Files.readString(folder.resolve("first.log"))).isTrue();
            return false;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (running != null) {
            running.destroy(); // SIGTERM: it stops as a user's Ctrl-C stops it
            running.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMistypedCommandIsAUsageErrorThatStartsNothing() throws Exception {
        Run typo = run("frobnicate");
        assertThat(typo.code()).as(typo.out()).isEqualTo(2);
        assertThat(typo.out()).contains("frobnicate").contains("submit", "serve").doesNotContain("Started", "Tomcat");
        Run option = run("--frobnicate");
        assertThat(option.code()).as(option.out()).isEqualTo(2);
        assertThat(ready()).as("the running service").isTrue();
        assertThat(tasks()).isEqualTo(200);
    }

    @Test
    void aSecondServeInTheSameFolderSaysWhoRunsThereAndLeavesItAlone() throws Exception {
        Run second = run("serve", "--server.port=0");
        assertThat(second.code()).as(second.out()).isNotZero();
        assertThat(second.out()).contains("grandpa is already running here (pid " + running.pid() + ", port " + port + ")")
                .contains("APPLICATION FAILED TO START").doesNotContain("stopping it", "Caused by");
        Run plain = run("--server.port=0"); // the jar with Spring's options only: the service, too
        assertThat(plain.code()).isNotZero();
        assertThat(plain.out()).contains("grandpa is already running here");
        assertThat(ready()).as("the running service").isTrue();
        assertThat(tasks()).isEqualTo(200);
    }

    record Run(int code, String out) {}

    static Run run(String... args) throws Exception {
        Process p = grandpa(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    static ProcessBuilder grandpa(String... args) {
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Path.of("target", "grandpa.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(folder.toFile());
    }

    /** Whether the running service answers and reaches its database (no model runs here, so not "readiness"). */
    static boolean ready() {
        try {
            String token = Files.readString(folder.resolve("data/admin.token")).strip();
            var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            var health = dev.familiar.grandpa.core.testing.Grandpa.JSON.readTree(response.body());
            return health.path("components").path("db").path("status").asString().equals("UP") && tasks() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** A request that needs the running service's database. */
    static int tasks() throws Exception {
        String token = Files.readString(folder.resolve("data/admin.token")).strip();
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/tasks"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
