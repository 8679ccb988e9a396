package dev.familiar.grandpa.core.evals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Browser;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.OneStepGrandpa;
import dev.familiar.grandpa.testkit.scripted.SuiteCoder;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.familiar.grandpa.workspace.git.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The bake-off run by the whole service on the starter suite: every case a real task in a repository of
 * its own, its checks and its held-out tests run in the sandbox, with scripted coders whose answers are
 * known (the solution, a wrong change, the solution for half the cases), so the numbers are checked
 * against what they must be. The models are stand-ins over HTTP; git, the sandbox and the checks are real.
 */
class EvalRunsIT {
    static final Path STARTER = Path.of("../evals/starter").toAbsolutePath().normalize();
    static final Git GIT = new Git(Duration.ofSeconds(30));
    static Path root;
    static StandInLlamaServer grandpaModel;
    static StandInLlamaServer coder;
    static Map<String, Object> properties;
    static Grandpa service;

    @BeforeAll
    static void serviceOnStandIns() throws Exception {
        root = Files.createDirectories(Path.of("target", "evals-it", UUID.randomUUID().toString()).toAbsolutePath());
        grandpaModel = StandInLlamaServer.start("stand-in-grandpa", new OneStepGrandpa());
        coder = StandInLlamaServer.start("coder", new SuiteCoder(STARTER, SuiteCoder.Behaviour.SOLVES, 0));
        properties = Grandpa.defaults(TestPostgres.newDatabase());
        properties.put("grandpa.model.base-url", grandpaModel.baseUrl());
        properties.put("grandpa.model.name", "stand-in-grandpa");
        properties.put("grandpa.backends[0].name", "coder");
        properties.put("grandpa.backends[0].base-url", coder.baseUrl());
        properties.put("grandpa.backends[0].slots", "4");
        properties.put("grandpa.backends[0].capabilities[0]", "code");
        properties.put("grandpa.workspaces.dir", root.resolve("data/workspaces").toString());
        properties.put("grandpa.sandbox.hidden[0]", root.resolve("data").toString());
        properties.put("grandpa.sandbox.time", "60s");
        properties.put("grandpa.evals.suites[0]", STARTER.getParent().toString());
        properties.put("grandpa.evals.suites[1]", Files.createDirectories(root.resolve("mine")).toString());
        properties.put("grandpa.evals.dir", root.resolve("data/evals").toString());
        properties.put("grandpa.evals.poll-interval", "200ms");
        service = Grandpa.start(properties);
    }

    @AfterAll
    static void stop() {
        service.close();
        grandpaModel.close();
        coder.close();
    }

    @Test
    void theSolvingCoderSolvesEveryCaseTheWrongOneNoneAndTheDifferenceIsSignificant() {
        coder.respondWith(new SuiteCoder(STARTER, SuiteCoder.Behaviour.SOLVES, 0));
        JsonNode solving = finished(start("starter", "solving", 4));
        JsonNode summary = solving.path("summary");
        assertThat(summary.path("ended").asInt()).isEqualTo(12);
        assertThat(summary.path("rate").path("solved").asInt()).as(solving.toString()).isEqualTo(12);
        assertThat(summary.path("rate").path("low").asDouble()).isBetween(0.75, 0.76); // Wilson's for 12 of 12
        assertThat(solving.path("standIn").asBoolean()).isTrue();
        assertThat(solving.path("models").path("grandpa").path("standIn").asBoolean()).isTrue();
        for (JsonNode r : solving.path("results")) {
            assertThat(r.path("status").asString()).isEqualTo("SOLVED");
            assertThat(r.path("measures").path("coderCalls").asInt()).isPositive();
            assertThat(r.path("measures").path("grandpaBusy").has("plan")).as(r.toString()).isTrue();
            assertThat(r.path("measures").path("secondsToDone").asDouble()).isPositive();
            JsonNode task = service.task(UUID.fromString(r.path("taskId").asString()));
            assertThat(task.path("status").asString()).isEqualTo("DONE");
            assertThat(task.path("labels").toString()).contains("eval:solving");
            // the held-out tests never reached the branch, the coders or the judge
            assertThat(service.get("/api/tasks/" + task.path("id").asString() + "/diff").text()).doesNotContain("held");
        }
        assertThat(coder.received()).noneSatisfy(call -> assertThat(call.messages().toString()).contains("held_out",
                "HeldOutTest", "held-out.test"));

        coder.respondWith(new SuiteCoder(STARTER, SuiteCoder.Behaviour.WRONG, 0));
        JsonNode wrong = finished(start("starter", "wrong", 6));
        assertThat(wrong.path("summary").path("rate").path("solved").asInt()).as(wrong.toString()).isZero();
        assertThat(wrong.path("results")).allSatisfy(r -> {
            assertThat(r.path("status").asString()).isEqualTo("UNSOLVED");
            assertThat(r.path("taskStatus").asString()).isEqualTo("BLOCKED");
            assertThat(r.path("measures").path("recoveries").size()).isPositive();
        });

        JsonNode compared = service.get("/api/evals/compare?first=solving&second=wrong").body();
        assertThat(compared.path("paired").asInt()).isEqualTo(12);
        assertThat(compared.path("difference").path("onlyFirst").asInt()).isEqualTo(12);
        assertThat(compared.path("difference").path("onlySecond").asInt()).isZero();
        assertThat(compared.path("difference").path("p").asDouble()).isLessThan(0.001); // 2 / 2^12
        assertThat(compared.path("significant").asBoolean()).isTrue();
    }

    @Test
    void twoHalfRightCodersSolveAboutHalfAndDoNotDifferSignificantly() {
        var first = new SuiteCoder(STARTER, SuiteCoder.Behaviour.HALF_RIGHT, 1);
        var second = new SuiteCoder(STARTER, SuiteCoder.Behaviour.HALF_RIGHT, 2);
        coder.respondWith(first);
        JsonNode a = finished(start("starter", "half-1", 6));
        coder.respondWith(second);
        JsonNode b = finished(start("starter", "half-2", 6));
        for (var run : List.of(Map.entry(a, first), Map.entry(b, second))) {
            JsonNode rate = run.getKey().path("summary").path("rate");
            long expected = StreamSupport.stream(run.getKey().path("results").spliterator(), false)
                    .filter(r -> run.getValue().solves(r.path("caseId").asString())).count();
            assertThat(rate.path("solved").asLong()).as("what the coder was scripted to solve").isEqualTo(expected);
            assertThat(0.5).isBetween(rate.path("low").asDouble(), rate.path("high").asDouble());
        }
        JsonNode compared = service.get("/api/evals/compare?first=half-1&second=half-2").body();
        assertThat(compared.path("significant").asBoolean()).as(compared.toString()).isFalse();
        assertThat(compared.path("cases")).hasSize(12);
    }

    @Test
    void aRunCancelledInTheMiddleStopsItsTasksAndResumedGivesTheUnfinishedCasesNewOnes() {
        var solving = new SuiteCoder(STARTER, SuiteCoder.Behaviour.SOLVES, 0);
        coder.respondWith(call -> solving.answer(call).after(Duration.ofMillis(400)));
        start("starter", "interrupted", 2);
        await().atMost(Duration.ofMinutes(1)).until(() -> count(run("interrupted"), "SOLVED") >= 2);
        var cancelled = service.post("/api/evals/runs/interrupted/cancel", "");
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asString()).isEqualTo("CANCELLED");
        assertThat(count(cancelled.body(), "RUNNING")).isZero();
        assertThat(service.post("/api/evals/runs/interrupted/cancel", "").status()).isEqualTo(409);
        JsonNode stopped = run("interrupted");
        int solvedBefore = count(stopped, "SOLVED");
        assertThat(solvedBefore).isLessThan(12);
        List<JsonNode> waiting = StreamSupport.stream(stopped.path("results").spliterator(), false)
                .filter(r -> r.path("status").asString().equals("PENDING") && r.path("tries").asInt() == 1).toList();
        assertThat(waiting).isNotEmpty(); // these had tasks when it was cancelled: each task is CANCELLED now
        for (JsonNode r : waiting) {
            assertThat(r.path("taskId").isNull()).isTrue();
        }
        assertThat(service.post("/api/evals/runs/interrupted/resume", "").status()).isEqualTo(200);
        JsonNode done = finished(run("interrupted"));
        assertThat(count(done, "SOLVED")).isEqualTo(12);
        assertThat(done.path("results")).anySatisfy(r -> assertThat(r.path("tries").asInt()).isEqualTo(2));
    }

    @Test
    void aRunGoesOnAfterARestartOfGrandpaInTheMiddleWithNoCaseGivenTwoTasks() {
        var solving = new SuiteCoder(STARTER, SuiteCoder.Behaviour.SOLVES, 0);
        coder.respondWith(call -> solving.answer(call).after(Duration.ofMillis(400)));
        var own = new java.util.LinkedHashMap<>(properties);
        var db = TestPostgres.newDatabase();
        own.putAll(Grandpa.on(db.jdbcUrl(), db.username(), db.password()));
        own.put("grandpa.workspaces.dir", root.resolve("restart/workspaces").toString());
        own.put("grandpa.evals.dir", root.resolve("restart/evals").toString());
        JsonNode started;
        try (Grandpa first = Grandpa.start(own)) {
            var response = first.post("/api/evals/runs", "{\"suite\":\"starter\",\"label\":\"restarted\",\"parallel\":3}");
            assertThat(response.status()).as(response.text()).isEqualTo(201);
            started = response.body();
            await().atMost(Duration.ofMinutes(1)).until(() -> count(first.get("/api/evals/runs/restarted").body(), "SOLVED") >= 1);
            JsonNode middle = first.get("/api/evals/runs/restarted").body();
            assertThat(count(middle, "RUNNING")).as("cases in flight when grandpa stops").isPositive();
        }
        try (Grandpa second = Grandpa.start(own)) {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() ->
                    second.get("/api/evals/runs/restarted").body().path("status").asString().equals("FINISHED"));
            JsonNode done = second.get("/api/evals/runs/" + started.path("id").asString().substring(0, 8)).body();
            assertThat(count(done, "SOLVED")).as(done.toString()).isEqualTo(12);
            assertThat(done.path("results")).allSatisfy(r -> assertThat(r.path("tries").asInt()).isEqualTo(1));
            var tasks = second.get("/api/tasks?size=100").body();
            assertThat(StreamSupport.stream(tasks.path("items").spliterator(), false)
                    .filter(t -> t.path("labels").toString().contains("eval:restarted")).count())
                    .as("one task per case, none made twice").isEqualTo(12);
        }
    }

    @Test
    void theCommandLineMakesACaseFromARepositoryRunsItAndComparesTwoRuns() throws Exception {
        Path repo = Files.createDirectories(root.resolve("owner-repo"));
        GIT.run(repo, "init", "--quiet", "--initial-branch=main");
        Files.writeString(repo.resolve("calc.py"), "def add(a, b):\n    return a - b\n");
        Files.writeString(repo.resolve("test_calc.py"), """
                import unittest
                from calc import add
                class T(unittest.TestCase):
                    def test_add(self):
                        self.assertEqual(add(2, 3), 5)
                """);
        GIT.run(repo, "add", "--all");
        GIT.run(repo, "commit", "--quiet", "-m", "add, wrong");
        Files.writeString(repo.resolve("calc.py"), "def add(a, b):\n    return a + b\n");
        GIT.run(repo, "commit", "--quiet", "-am", "add, right");
        Path heldOut = Files.createDirectories(root.resolve("owner-held-out"));
        Files.writeString(heldOut.resolve("test_held.py"), """
                import unittest
                from calc import add
                class H(unittest.TestCase):
                    def test_negative(self):
                        self.assertEqual(add(-2, -3), -5)
                """);
        Path suite = root.resolve("mine/home");
        var made = cli("eval", "new-case", "--suite", suite.toString(), "--id", "py-add", "--repo", repo.toString(),
                "--commit", "HEAD~1", "--solution-commit", "HEAD", "--goal", "add(a, b) in calc.py must add, not subtract.",
                "--check", "python3 -m unittest -q", "--held-out", heldOut.toString(), "--held-out-check",
                "python3 -m unittest -q test_held", "--language", "python");
        assertThat(made.code()).as(made.err()).isZero();
        assertThat(Files.readString(suite.resolve("py-add/repo/calc.py"))).contains("a - b");
        assertThat(Files.readString(suite.resolve("py-add/solution/calc.py"))).contains("a + b");
        assertThat(Suite.load(suite).cases()).singleElement().satisfies(c -> assertThat(c.heldOut())
                .isEqualTo("python3 -m unittest -q test_held"));

        coder.respondWith(new SuiteCoder(suite, SuiteCoder.Behaviour.SOLVES, 0));
        var solved = cli("eval", "run", "--suite", "home", "--label", "cli-solved", "--poll", "0.2");
        assertThat(solved.code()).as(solved.out() + solved.err()).isZero();
        assertThat(solved.out()).contains("1/1 ended, 1 solved", "solved    1 of 1", "STAND-IN", "py-add");

        coder.respondWith(new SuiteCoder(suite, SuiteCoder.Behaviour.WRONG, 0));
        var detached = cli("eval", "run", "--suite", suite.toString(), "--label", "cli-wrong", "--detach");
        assertThat(detached.out()).contains("started cli-wrong");
        var followed = cli("eval", "run", "--follow", "cli-wrong", "--poll", "0.2");
        assertThat(followed.code()).as(followed.err()).isZero();
        assertThat(followed.out()).contains("solved    0 of 1", "UNSOLVED");

        var compared = cli("eval", "compare", "cli-solved", "cli-wrong");
        assertThat(compared.code()).as(compared.err()).isZero();
        assertThat(compared.out()).contains("1 solved by cli-solved alone, 0 by cli-wrong alone",
                "no significant difference", "py-add");
        assertThat(cli("eval", "ls").out()).contains("home", "starter", "cli-wrong");
        assertThat(Grandpa.JSON.readTree(cli("eval", "show", "cli-solved", "--json").out()).path("status").asString())
                .isEqualTo("FINISHED");
        assertThat(cli("eval").code()).isEqualTo(2);
        assertThat(cli("eval", "show", "no-such-run").code()).isEqualTo(3);
        assertThat(cli("eval", "run", "--suite", "/etc", "--label", "x").err()).contains("no suite named or at '/etc'");
    }

    @Test
    void theBakeOffPageShowsRunsSideBySideAndStartsOneForAnOperator() throws Exception {
        Path tiny = EvalSetupsIT.tinySuite(root.resolve("mine/tiny"), "tiny");
        coder.respondWith(new SuiteCoder(tiny, SuiteCoder.Behaviour.SOLVES, 0));
        finished(start("tiny", "page-a", 2));
        coder.respondWith(new SuiteCoder(tiny, SuiteCoder.Behaviour.WRONG, 0));
        finished(start("tiny", "page-b", 2));

        WebDriver browser = Browser.chromium();
        try {
            var wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            Browser.signIn(browser, wait, service.url("/#/evals"), Grandpa.VIEWER);
            wait.until(d -> Browser.rows(d, "eval-runs").stream().anyMatch(r -> r.get(0).equals("page-b")));
            assertThat(Browser.rows(browser, "eval-runs")).anySatisfy(r -> assertThat(r).startsWith("page-a", "tiny",
                    "as configured", "FINISHED", "2 of 2 (100.0 %)")).anySatisfy(r -> assertThat(r.get(4)).isEqualTo("0 of 2 (0.0 %)"));
            new Select(browser.findElement(By.id("eval-first"))).selectByValue("page-a");
            new Select(browser.findElement(By.id("eval-second"))).selectByValue("page-b");
            wait.until(d -> d.findElement(By.id("eval-significance")).getText().contains("by page-a alone"));
            assertThat(browser.findElement(By.id("eval-significance")).getText())
                    .contains("2 solved by page-a alone, 0 by page-b alone", "no significant difference");
            assertThat(Browser.rows(browser, "eval-cases")).containsExactly(List.of("py-add", "1", "solved", "not solved"),
                    List.of("py-sub", "1", "solved", "not solved"));
            assertThat(Browser.rows(browser, "eval-compare")).anySatisfy(r -> assertThat(r).containsExactly("models",
                    "stand-in", "stand-in"));
            Browser.shot(browser, "bake-off");

            browser.findElement(By.linkText("page-a")).click();
            wait.until(d -> Browser.rows(d, "eval-results").size() == 2);
            assertThat(browser.findElement(By.id("eval-run-status")).getText()).contains("FINISHED", "STAND-IN");
            assertThat(Browser.rows(browser, "eval-results")).allSatisfy(r -> assertThat(r.get(2)).isEqualTo("SOLVED"));
            Browser.shot(browser, "bake-off-run");

            // a viewer reads; starting a run takes an operator
            browser.get(service.url("/#/evals"));
            wait.until(d -> !d.findElements(By.id("eval-start")).isEmpty());
            browser.findElement(By.cssSelector("#eval-start summary")).click();
            browser.findElement(By.id("eval-start-run")).click();
            wait.until(d -> d.findElement(By.id("eval-start-run-said")).getText().contains("403"));
            browser.findElement(By.id("sign-out")).click();
            coder.respondWith(new SuiteCoder(tiny, SuiteCoder.Behaviour.SOLVES, 0));
            Browser.signIn(browser, wait, service.url("/#/evals"), Grandpa.OPERATOR);
            wait.until(d -> !d.findElements(By.id("eval-start")).isEmpty());
            browser.findElement(By.cssSelector("#eval-start summary")).click();
            new Select(browser.findElement(By.id("eval-suite"))).selectByValue("tiny");
            browser.findElement(By.id("eval-label")).sendKeys("page-c");
            browser.findElement(By.id("eval-start-run")).click();
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.getCurrentUrl().endsWith("#/eval/page-c")
                    && d.findElement(By.id("eval-run-status")).getText().startsWith("FINISHED"));
            assertThat(Browser.rows(browser, "eval-results")).hasSize(2);
            assertThat(Browser.consoleErrors(browser)).allSatisfy(e -> assertThat(e).contains("403")); // the viewer's refusal
        } finally {
            browser.quit();
        }
    }

    @Test
    void aCaseFromABundleStartsFromItsCommitAloneWithNothingOfTheLaterHistory() throws Exception {
        Path source = Files.createDirectories(root.resolve("bundled-source"));
        GIT.run(source, "init", "--quiet", "--initial-branch=main");
        Files.writeString(source.resolve("greet.py"), "def greet(name):\n    return 'hello'\n");
        GIT.run(source, "add", "--all");
        GIT.run(source, "commit", "--quiet", "-m", "greet ignores the name");
        String given = GIT.run(source, "rev-parse", "HEAD").strip();
        Files.writeString(source.resolve("greet.py"), "def greet(name):\n    return 'hello ' + name\n");
        GIT.run(source, "commit", "--quiet", "-am", "the fix, which the coders must not find");
        String fix = GIT.run(source, "rev-parse", "HEAD").strip();
        Path suite = Files.createDirectories(root.resolve("mine/bundled"));
        GIT.run(source, "bundle", "create", "--quiet", suite.resolve("greet.bundle").toString(), "--all");
        Path c = Files.createDirectories(suite.resolve("py-greet"));
        Files.createDirectories(c.resolve("held-out"));
        Files.createDirectories(c.resolve("solution"));
        Files.writeString(c.resolve("solution/greet.py"), "def greet(name):\n    return 'hello ' + name\n");
        Files.writeString(c.resolve("held-out/test_held.py"), "import unittest\nfrom greet import greet\n"
                + "class H(unittest.TestCase):\n    def test(self):\n        self.assertEqual(greet('ann'), 'hello ann')\n");
        Files.writeString(suite.resolve("suite.yaml"), """
                name: bundled
                cases:
                  - id: py-greet
                    repository: greet.bundle
                    commit: %s
                    goal: greet(name) in greet.py must greet the name
                    checks: {test: "python3 -c 'import greet'"}
                    acceptance: test
                    held-out: python3 -m unittest -q test_held
                """.formatted(given));
        coder.respondWith(new SuiteCoder(suite, SuiteCoder.Behaviour.SOLVES, 0));
        JsonNode run = finished(start("bundled", "from-bundle", 1));
        assertThat(run.path("summary").path("rate").path("solved").asInt()).as(run.toString()).isEqualTo(1);

        Path bare = root.resolve("data/evals").resolve(run.path("id").asString()).resolve("py-greet.git");
        assertThat(GIT.run(bare, "log", "--format=%s", "main").strip()).isEqualTo("The case py-greet as given");
        assertThat(GIT.run(bare, "show", "main:greet.py")).contains("return 'hello'\n");
        assertThat(GIT.attempt(bare, Map.of(), null, "cat-file", "-e", fix).ok()).as("the fix's commit").isFalse();
        assertThat(GIT.attempt(bare, Map.of(), null, "cat-file", "-e", given).ok()).as("the source's own commits").isFalse();
    }

    record Cli(int code, String out, String err) {}

    static Cli cli(String... args) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        var console = new dev.familiar.grandpa.cli.Console(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                java.io.InputStream.nullInputStream(), Map.of("GRANDPA_URL", service.url(""), "GRANDPA_TOKEN", Grandpa.ADMIN),
                false);
        return new Cli(dev.familiar.grandpa.cli.GrandpaCli.run(args, console), out.toString(), err.toString());
    }

    static int count(JsonNode run, String status) {
        return (int) StreamSupport.stream(run.path("results").spliterator(), false)
                .filter(r -> r.path("status").asString().equals(status)).count();
    }

    static JsonNode run(String label) {
        return service.get("/api/evals/runs/" + label).body();
    }

    static JsonNode start(String suite, String label, int parallel) {
        var response = service.post("/api/evals/runs", Grandpa.JSON.writeValueAsString(Map.of("suite", suite, "label", label,
                "parallel", parallel)));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body();
    }

    static JsonNode finished(JsonNode run) {
        String label = run.path("label").asString();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> service.get("/api/evals/runs/" + label).body().path("status").asString().equals("FINISHED"));
        return service.get("/api/evals/runs/" + label).body();
    }
}
