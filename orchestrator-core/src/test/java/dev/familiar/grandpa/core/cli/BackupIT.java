package dev.familiar.grandpa.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A backup of a running service's database through {@code grandpa backup}, restored with
 * {@code grandpa restore} into an empty embedded PostgreSQL in a data directory of its own; a service
 * started on that directory shows the same tasks, attempts, verdicts and events, and goes on with new
 * work (its id sequences were moved past the restored rows). A restore into a database that holds
 * anything changes nothing, and only an admin token gets a backup.
 */
class BackupIT {
    @Test
    void aBackupRestoredIntoAnEmptyDataDirectoryGivesTheSameService() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "backup-it", UUID.randomUUID().toString()).toAbsolutePath());
        Path backup = root.resolve("grandpa.zip");
        var ids = new ArrayList<UUID>();
        var before = new ArrayList<JsonNode>();
        try (var models = new Models("coder-a")) {
            var p = Grandpa.defaults(TestPostgres.newDatabase());
            p.putAll(models.properties(2, Duration.ofSeconds(10)));
            try (var grandpa = Grandpa.start(p)) {
                for (int i = 0; i < 3; i++) {
                    ids.add(grandpa.submit("Task " + i + " to keep"));
                }
                ids.forEach(id -> before.add(grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE")));
                var env = Map.of("GRANDPA_URL", grandpa.url(""), "GRANDPA_TOKEN", Grandpa.ADMIN);
                Commands.Run saved = cli(env, "backup", backup.toString());
                assertThat(saved.code()).as(saved.err()).isZero();
                assertThat(saved.out()).contains(backup.toString());
                Commands.Run viewer = cli(Map.of("GRANDPA_URL", grandpa.url(""), "GRANDPA_TOKEN", Grandpa.VIEWER), "backup",
                        root.resolve("no.zip").toString());
                assertThat(viewer.code()).isEqualTo(3);
                assertThat(viewer.err()).contains("403");
            }

            Path data = root.resolve("data/postgres");
            Commands.Run restored = cli(Map.of(), "restore", backup.toString(), "--data-directory", data.toString());
            assertThat(restored.code()).as(restored.err()).isZero();
            assertThat(restored.out()).contains("restored", "tables from " + backup);
            Commands.Run again = cli(Map.of(), "restore", backup.toString(), "--data-directory", data.toString());
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.err()).contains("holds rows");

            var q = Grandpa.on(null, null, null);
            q.remove("spring.datasource.url");
            q.remove("spring.datasource.username");
            q.remove("spring.datasource.password");
            q.put("grandpa.database.embedded.data-directory", data.toString());
            q.putAll(models.properties(2, Duration.ofSeconds(10)));
            try (var grandpa = Grandpa.start(q)) {
                for (int i = 0; i < ids.size(); i++) {
                    JsonNode task = grandpa.task(ids.get(i));
                    for (String part : List.of("status", "result", "subtasks", "attempts", "evaluations", "plans")) {
                        assertThat(task.path(part)).as(part).isEqualTo(before.get(i).path(part));
                    }
                    assertThat(task.path("events").size()).isEqualTo(before.get(i).path("events").size());
                }
                UUID next = grandpa.submit("New work after the restore");
                assertThat(grandpa.awaitStatus(next, Duration.ofSeconds(60), "DONE").path("attempts")).isNotEmpty();
            }
        }
    }

    private static Commands.Run cli(Map<String, String> env, String... args) {
        return args[0].equals("restore") ? Commands.service(env, args) : Commands.client(env, "", args);
    }
}
