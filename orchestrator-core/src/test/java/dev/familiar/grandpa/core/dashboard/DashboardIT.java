package dev.familiar.grandpa.core.dashboard;

import static dev.familiar.grandpa.core.testing.Browser.chromium;
import static dev.familiar.grandpa.core.testing.Browser.consoleErrors;
import static dev.familiar.grandpa.core.testing.Browser.rows;
import static dev.familiar.grandpa.core.testing.Browser.shot;
import static dev.familiar.grandpa.core.testing.Browser.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.core.testing.NotesRepository;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Speeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in real headless Chromium (Debian's chromium and chromium-driver; Selenium drives it)
 * against the running service with recorded history: it asks for a token; the task list, a task's
 * plan graph, attempts and events, the backends' success history and the model's side by side show
 * what the database holds; no page logs an error to the console; and the actions people take from it,
 * each with the role it needs. Screenshots go to {@code target/screenshots}.
 */
class DashboardIT {
    @Test
    void thePagesShowWhatTheDatabaseHolds() throws Exception {
        try (var models = new Models("coder-a", "coder-b")) {
            models.grandpa.setSpeeds(Speeds.seed(2000));
            var scripted = new StandInGrandpa();
            models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) && call.last("user").contains("impossible")
                    ? Reply.text("{\"subtasks\": []}") : scripted.answer(call));
            var p = Grandpa.defaults(TestPostgres.newDatabase());
            p.putAll(models.properties(2, Duration.ofSeconds(10)));
            try (var grandpa = Grandpa.start(p)) {
                var ids = new ArrayList<UUID>();
                for (int i = 0; i < 3; i++) {
                    ids.add(grandpa.submit("Dashboard task " + i));
                }
                ids.forEach(id -> grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE"));
                UUID blocked = grandpa.submit("An impossible task");
                grandpa.awaitStatus(blocked, Duration.ofSeconds(60), "BLOCKED");

                WebDriver browser = chromium();
                try {
                    var wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                    browser.get(grandpa.url("/"));
                    wait.until(d -> !d.findElements(By.id("token")).isEmpty());
                    shot(browser, "login");
                    browser.findElement(By.id("token")).sendKeys(Grandpa.VIEWER);
                    browser.findElement(By.id("sign-in")).click();

                    // the task list: every task with its status, as the API (the database) has them
                    wait.until(d -> rows(d, "tasks").size() == 4);
                    shot(browser, "tasks");
                    JsonNode list = grandpa.get("/api/tasks?size=50").body().path("items");
                    for (JsonNode t : list) {
                        assertThat(rows(browser, "tasks")).anySatisfy(r -> {
                            assertThat(r.get(0)).isEqualTo(t.path("id").asString().substring(0, 8));
                            assertThat(r.get(1)).isEqualTo(t.path("status").asString());
                        });
                    }

                    // a task: its plan as a graph, its attempts with backend and verdict, its events streaming in
                    UUID done = ids.getFirst();
                    browser.findElement(By.linkText(done.toString().substring(0, 8))).click();
                    wait.until(d -> !d.findElements(By.cssSelector("#plan-graph svg")).isEmpty());
                    JsonNode task = grandpa.task(done);
                    var liveKeys = StreamSupport.stream(task.path("subtasks").spliterator(), false)
                            .filter(s -> s.path("planVersion").asInt() == task.path("planVersion").asInt())
                            .map(s -> s.path("key").asString()).toList();
                    wait.until(d -> d.findElement(By.id("plan-graph")).getText().contains(liveKeys.getLast()));
                    assertThat(browser.findElement(By.id("plan-graph")).getText()).contains(liveKeys);
                    assertThat(browser.findElement(By.id("task-status")).getText()).isEqualTo("DONE");
                    assertThat(rows(browser, "subtasks")).extracting(r -> r.get(0)).containsExactlyInAnyOrderElementsOf(liveKeys);
                    assertThat(rows(browser, "attempts")).hasSize(task.path("attempts").size())
                            .allSatisfy(r -> assertThat(r.get(6)).isEqualTo("PASS"));
                    wait.until(d -> d.findElements(By.cssSelector("#events li")).size() >= 5);
                    assertThat(browser.findElement(By.id("events")).getText()).contains("planned", "subtask.accepted");
                    shot(browser, "task");

                    // backends: their success per capability over the day, as the database aggregates it
                    browser.get(grandpa.url("/#/backends"));
                    wait.until(d -> !d.findElements(By.cssSelector("#success-chart svg path")).isEmpty());
                    JsonNode history = grandpa.get("/api/stats/delegations?range=day").body().path("buckets");
                    long passed = StreamSupport.stream(history.spliterator(), false).mapToLong(b -> b.path("passed").asLong()).sum();
                    assertThat(passed).isEqualTo(9); // three tasks, three subtasks each, every one passed once
                    assertThat(rows(browser, "success-history")).hasSize(history.size())
                            .extracting(r -> Long.parseLong(r.get(3))).containsExactlyElementsOf(
                                    StreamSupport.stream(history.spliterator(), false).map(b -> b.path("passed").asLong()).toList());
                    assertThat(rows(browser, "backends")).extracting(r -> r.get(0)).containsExactly("coder-a", "coder-b");
                    shot(browser, "backends");

                    // the model: its runtime, its speeds over time, and the model side by side
                    browser.get(grandpa.url("/#/model"));
                    wait.until(d -> !d.findElements(By.cssSelector("#compare tbody tr")).isEmpty());
                    assertThat(browser.findElement(By.id("runtime-state")).getText()).startsWith("READY");
                    assertThat(browser.findElement(By.id("planned-placement")).getText()).contains("did not plan");
                    var compare = rows(browser, "compare").getFirst();
                    assertThat(compare.get(0)).isEqualTo("stand-in-grandpa");
                    long calls = StreamSupport.stream(grandpa.get("/api/stats/model?range=day").body().path("buckets").spliterator(),
                            false).mapToLong(b -> b.path("calls").asLong()).sum();
                    assertThat(Long.parseLong(compare.get(1))).isEqualTo(calls).isPositive();
                    assertThat(Double.parseDouble(compare.get(2))).as("generation tok/s at the seed's speed").isBetween(15.0, 19.0);
                    assertThat(browser.findElements(By.cssSelector("#generation-chart svg path"))).isNotEmpty();
                    shot(browser, "model");

                    // the API's documentation, as the README advertises it: it loads, and takes a token to try the calls
                    browser.get(grandpa.url("/swagger-ui.html"));
                    wait.until(d -> !d.findElements(By.cssSelector(".information-container .title")).isEmpty());
                    assertThat(browser.findElement(By.cssSelector(".information-container .title")).getText()).startsWith("grandpa");
                    assertThat(browser.findElements(By.cssSelector("button.authorize"))).isNotEmpty();
                    assertThat(browser.findElement(By.tagName("body")).getText()).contains("/api/tasks");
                    shot(browser, "api-docs");

                    assertThat(consoleErrors(browser)).as("console errors").isEmpty();
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /**
     * What people do from the dashboard, each by the role it needs: an operator submits a task into a
     * repository (and reads its branch as a diff and its events as a timeline), finds tasks on the board,
     * by status and by search, resumes a blocked task with a note and cancels it; backends are drained only
     * with an admin's token (an operator is told why not).
     */
    @Test
    void actionsByRoleBoardFiltersDiffAndTimeline() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "dashboard-it", UUID.randomUUID().toString()).toAbsolutePath());
        NotesRepository.create(root);
        try (var models = new Models("coder-a")) {
            var scripted = new StandInGrandpa();
            models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) && call.last("user").contains("impossible")
                    ? Reply.text("{\"subtasks\": []}") : scripted.answer(call));
            models.coder("coder-a").respondWith(NotesRepository.fileWritingCoder());
            var p = Grandpa.defaults(TestPostgres.newDatabase());
            p.putAll(models.properties(2, Duration.ofSeconds(10)));
            p.put("grandpa.workspaces.dir", root.resolve("data/workspaces").toString());
            p.put("grandpa.repositories[0].name", "notes");
            p.put("grandpa.repositories[0].url", root.resolve("notes.git").toString());
            try (var grandpa = Grandpa.start(p)) {
                WebDriver browser = chromium();
                try {
                    var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // pages redraw themselves
                    signIn(browser, wait, grandpa.url("/"), Grandpa.OPERATOR);

                    // an operator hands grandpa a task into the repository
                    wait.until(d -> !d.findElements(By.id("submit")).isEmpty());
                    browser.findElement(By.cssSelector("#submit summary")).click();
                    browser.findElement(By.id("submit-goal")).sendKeys("Write the notes from the dashboard");
                    browser.findElement(By.id("submit-repo")).sendKeys("notes");
                    browser.findElement(By.id("submit-labels")).sendKeys("docs, dashboard");
                    browser.findElement(By.id("submit-task")).click();
                    wait.until(d -> d.findElement(By.id("submit-task-said")).getText().startsWith("accepted: "));
                    String shown = browser.findElement(By.id("submit-task-said")).getText().substring("accepted: ".length());
                    JsonNode submitted = StreamSupport.stream(grandpa.get("/api/tasks?idPrefix=" + shown).body().path("items")
                            .spliterator(), false).findFirst().orElseThrow();
                    UUID id = UUID.fromString(submitted.path("id").asString());
                    JsonNode done = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE");
                    assertThat(done.path("repo").asString()).isEqualTo("notes");
                    assertThat(done.path("labels").toString()).contains("docs", "dashboard");
                    UUID blocked = grandpa.submit("An impossible task");
                    grandpa.awaitStatus(blocked, Duration.ofSeconds(60), "BLOCKED");

                    // found on the board, by status and by its id's start
                    browser.findElement(By.id("board-toggle")).click();
                    wait.until(d -> d.findElement(By.cssSelector("#board [data-status=DONE]")).getText().contains(shown));
                    assertThat(browser.findElement(By.cssSelector("#board [data-status=BLOCKED]")).getText())
                            .contains(blocked.toString().substring(0, 8));
                    shot(browser, "board");
                    browser.findElement(By.id("board-toggle")).click();
                    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-status"))).selectByValue("BLOCKED");
                    wait.until(d -> !rows(d, "tasks").isEmpty() && rows(d, "tasks").stream().allMatch(r -> r.get(1).equals("BLOCKED")));
                    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-status"))).selectByValue("");
                    browser.findElement(By.id("filter-search")).sendKeys(shown);
                    wait.until(d -> rows(d, "tasks").size() == 1 && rows(d, "tasks").getFirst().get(0).equals(shown));

                    // its branch as a readable diff, its events as a timeline in words
                    browser.get(grandpa.url("/#/task/" + id)); // the list redraws every few seconds: its links go stale
                    wait.until(d -> !d.findElements(By.cssSelector("#diff .add")).isEmpty());
                    assertThat(browser.findElement(By.id("diff")).getText()).contains("+++ b/", "+# ");
                    wait.until(d -> d.findElement(By.id("events")).getText().contains("plan v1: 3 subtasks"));
                    assertThat(browser.findElement(By.id("events")).getText()).contains("accepted (coder-a)")
                            .doesNotContain("{\"");
                    assertThat(browser.findElements(By.id("cancel-task"))).as("a finished task has nothing to cancel").isEmpty();
                    ((JavascriptExecutor) browser).executeScript("document.getElementById('diff').scrollIntoView()");
                    shot(browser, "diff-and-timeline");

                    // a blocked task resumed with a note, then cancelled
                    browser.get(grandpa.url("/#/task/" + blocked));
                    wait.until(d -> !d.findElements(By.id("resume-task")).isEmpty());
                    browser.findElement(By.id("resume-note")).sendKeys("the plan may be empty now");
                    browser.findElement(By.id("resume-task")).click();
                    wait.until(d -> d.findElement(By.id("resume-task-said")).getText().equals("QUEUED"));
                    assertThat(grandpa.task(blocked).path("recoveries").toString()).contains("RESUME", "the plan may be empty now");
                    browser.findElement(By.id("cancel-task")).click();
                    wait.until(d -> !d.findElement(By.id("cancel-task-said")).getText().isEmpty());
                    assertThat(grandpa.task(blocked).path("status").asString()).isIn("CANCELLED", "BLOCKED");

                    // backends: an operator is told why not; an admin drains and undrains
                    browser.get(grandpa.url("/#/backends"));
                    wait.until(d -> !d.findElements(By.id("drain-coder-a")).isEmpty());
                    browser.findElement(By.id("drain-coder-a")).click();
                    wait.until(d -> d.findElement(By.id("drain-coder-a-said")).getText().contains("403"));
                    assertThat(grandpa.get("/api/backends/coder-a").body().path("draining").asBoolean()).isFalse();
                    browser.findElement(By.id("sign-out")).click();
                    signIn(browser, wait, grandpa.url("/#/backends"), Grandpa.ADMIN);
                    wait.until(d -> !d.findElements(By.id("drain-coder-a")).isEmpty());
                    browser.findElement(By.id("drain-coder-a")).click();
                    wait.until(d -> grandpa.get("/api/backends/coder-a").body().path("draining").asBoolean());
                    // the page is drawn again after each action: read it when it is there
                    wait.until(d -> rows(d, "backends").stream().anyMatch(r -> r.get(0).equals("coder-a") && r.get(2).equals("draining"))
                            && d.findElement(By.id("drain-coder-a")).getText().equals("undrain"));
                    browser.findElement(By.id("drain-coder-a")).click();
                    wait.until(d -> !grandpa.get("/api/backends/coder-a").body().path("draining").asBoolean());

                    List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                            .filter(e -> !e.getMessage().contains("Failed to load resource")) // the 403 shown to the operator
                            .toList();
                    assertThat(errors).as("console errors").isEmpty();
                } finally {
                    browser.quit();
                }
            }
        }
    }
}
