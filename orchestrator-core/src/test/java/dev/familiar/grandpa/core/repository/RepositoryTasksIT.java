package dev.familiar.grandpa.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInGitea;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.familiar.grandpa.workspace.git.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Tasks in real git repositories made here, worked by the whole service: changes in worktrees of
 * their own, checks in the bubblewrap sandbox, commits on the task's branch, a conflict made again
 * on the merged state, a command-line agent, and a branch pushed with its pull request opened at a
 * stand-in Gitea. The models are stand-ins (scripted, over HTTP); git, the sandbox and the checks are
 * real.
 */
class RepositoryTasksIT {
    static final Git GIT = new Git(Duration.ofSeconds(30));
    static final Pattern SUBTASK_LINE = Pattern.compile("(?m)^- (\\S+) \\| (\\S+) \\| (\\S+) \\| (.+)$");
    static final String GITEA_TOKEN = "gitea-test-token-41d7"; // GRANDPA_GITEA_TEST_TOKEN, set by the failsafe plugin

    static Path root;
    static StandInLlamaServer grandpaModel;
    static StandInLlamaServer coder;
    /** The first judge: unsure of everything (grandpa judges) unless a test says otherwise. */
    static StandInLlamaServer judge;
    static StandInGitea gitea;
    static Grandpa service;

    @BeforeAll
    static void repositoriesModelsAndService() throws Exception {
        root = Files.createDirectories(Path.of("target", "repository-it", UUID.randomUUID().toString()).toAbsolutePath());
        repository("calc", Map.of("calc.sh", """
                #!/bin/sh
                case "$1" in
                  add) echo $(($2 + $3)) ;;
                  *) echo "unknown operation $1"; exit 2 ;;
                esac
                """, "test.sh", """
                #!/bin/sh
                add=$(sh calc.sh add 2 3)
                sub=$(sh calc.sh sub 5 3)
                [ "$add" = 5 ] || { echo "FAIL: add 2 3 gave $add"; exit 1; }
                [ "$sub" = 2 ] || { echo "FAIL: sub 5 3 gave $sub"; exit 1; }
                echo "all tests passed"
                """));
        repository("messages", Map.of("calc.sh", """
                #!/bin/sh
                case "$1" in
                  add) echo $(($2 + $3)) ;;
                  *) echo "unknown operation $1"; exit 2 ;;
                esac
                """));
        repository("agents", Map.of("README.md", "# agents\n"));
        repository("pushed", Map.of("README.md", "# pushed\n"));
        Path agent = root.resolve("agent.sh");
        Files.writeString(agent, """
                #!/bin/sh
                prompt=$(cat)
                case "$prompt" in
                  *"Your subtask: Write a.txt"*) name=a ;;
                  *) name=b ;;
                esac
                sleep 1
                echo "made by the agent" > "$name.txt"
                echo "pwd=$(pwd)"
                echo "files: $(ls | tr '\\n' ' ')"
                echo "beside: $(ls .. | tr '\\n' ' ')"
                env
                """);
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x")); // run by the sandbox's user

        grandpaModel = StandInLlamaServer.start("stand-in-grandpa", RepositoryTasksIT::grandpa);
        coder = StandInLlamaServer.start("coder", call -> Reply.text("no edits"));
        judge = StandInLlamaServer.start("judge", RepositoryTasksIT::unsureJudge);
        gitea = StandInGitea.start(GITEA_TOKEN);

        var p = Grandpa.defaults(TestPostgres.newDatabase());
        p.put("grandpa.model.base-url", grandpaModel.baseUrl());
        p.put("grandpa.backends[0].name", "coder");
        p.put("grandpa.backends[0].base-url", coder.baseUrl());
        p.put("grandpa.backends[0].slots", "2");
        p.put("grandpa.backends[0].capabilities[0]", "code");
        p.put("grandpa.backends[1].name", "agent");
        p.put("grandpa.backends[1].kind", "CLI");
        p.put("grandpa.backends[1].command[0]", agent.toString());
        p.put("grandpa.backends[1].slots", "2");
        p.put("grandpa.backends[1].capabilities[0]", "agent");
        p.put("grandpa.backends[2].name", "judge");
        p.put("grandpa.backends[2].base-url", judge.baseUrl());
        p.put("grandpa.backends[2].capabilities[0]", "review");
        p.put("grandpa.first-judge.backend", "judge");
        p.put("grandpa.workspaces.dir", root.resolve("data/workspaces").toString());
        p.put("grandpa.sandbox.hidden[0]", root.resolve("data").toString());
        p.put("grandpa.sandbox.time", "30s");
        repositorySettings(p, 0, "calc", Map.of("test", "sh test.sh"), "test");
        repositorySettings(p, 1, "messages", Map.of("test", "sh calc.sh add 1 1"), "test");
        repositorySettings(p, 2, "agents", Map.of("any", "ls *.txt", "both", "test -f a.txt && test -f b.txt"), "both");
        repositorySettings(p, 3, "pushed", Map.of("notes", "test -f NOTES.md"), "notes");
        p.put("grandpa.repositories[3].push", "true");
        p.put("grandpa.repositories[3].credentials-env", "GRANDPA_GITEA_TEST_TOKEN");
        p.put("grandpa.repositories[3].pull-request.api-url", gitea.url());
        p.put("grandpa.repositories[3].pull-request.owner", "home");
        p.put("grandpa.repositories[3].pull-request.repo", "pushed");
        repositorySettings(p, 4, "probe", Map.of("probe", "sh probe.sh"), "probe"); // made by its test, once the port is known
        service = Grandpa.start(p);
    }

    @AfterAll
    static void stop() {
        service.close();
        grandpaModel.close();
        coder.close();
        judge.close();
        gitea.close();
    }

    @BeforeEach
    void freshModels() {
        grandpaModel.respondWith(RepositoryTasksIT::grandpa);
        judge.respondWith(RepositoryTasksIT::unsureJudge);
    }

    @Test
    void theFirstJudgeReadsAChangeThatPassedItsChecksAndItsSureVerdictStands() {
        coder.respondWith(call -> Reply.text("""
                calc.sh
                <<<<<<< SEARCH
                  add) echo $(($2 + $3)) ;;
                =======
                  add) echo $(($2 + $3)) ;;
                  mul) echo $(($2 * $3)) ;;
                >>>>>>> REPLACE
                """));
        judge.respondWith(call -> Reply.text(
                "{\"verdict\":\"pass\",\"score\":0.9,\"feedback\":\"mul is there\",\"confidence\":0.97}"));
        UUID id = submit("messages", "Add multiplication to calc.sh", "- mul | code | test | Add a mul operation to calc.sh");
        JsonNode task = service.awaitStatus(id, Duration.ofSeconds(60), "DONE", "BLOCKED");
        assertThat(task.path("status").asString()).as(task.path("statusReason").asString()).isEqualTo("DONE");

        assertThat(list(task.path("evaluations"))).singleElement().satisfies(e -> {
            assertThat(e.path("judgedBy").asString()).isEqualTo("first_judge");
            assertThat(e.path("checks").toString()).contains("test: passed", "first judge judge: pass");
        });
        // it read the diff and the checks it passed; grandpa was not asked for a verdict on it
        assertThat(judge.received()).anySatisfy(c -> assertThat(c.last("user"))
                .contains("Add a mul operation", "- test: passed", "+  mul) echo $(($2 * $3)) ;;"));
        assertThat(grandpaModel.received()).noneMatch(c -> "verdict".equals(c.schemaName())
                && c.last("user").contains("Add a mul operation"));
        assertThat(service.get("/api/tasks/" + id + "/diff").text()).contains("+  mul) echo $(($2 * $3)) ;;");
    }

    @Test
    void aChangeThatFailsTheTestsIsRevisedWithTheirOutputAndTheBranchEndsPassingThem() {
        coder.respondWith(call -> {
            boolean retry = call.last("user").contains("Feedback on your previous attempt");
            return Reply.text("""
                    calc.sh
                    <<<<<<< SEARCH
                      add) echo $(($2 + $3)) ;;
                    =======
                      add) echo $(($2 + $3)) ;;
                      sub) echo $(($2 %s $3)) ;;
                    >>>>>>> REPLACE
                    """.formatted(retry ? "-" : "+"));
        });
        UUID id = submit("calc", "Add subtraction to calc.sh", "- sub | code | - | Add a sub operation to calc.sh");
        JsonNode task = service.awaitStatus(id, Duration.ofSeconds(60), "DONE", "BLOCKED");
        assertThat(task.path("status").asString()).as(task.path("statusReason").asString()).isEqualTo("DONE");

        List<JsonNode> attempts = list(task.path("attempts"));
        assertThat(attempts).hasSize(2);
        List<JsonNode> checks = list(task.path("checks"));
        JsonNode failed = checks.stream().filter(c -> c.path("attemptId").asLong() == attempts.get(0).path("id").asLong()
                && c.path("name").asString().equals("test")).findFirst().orElseThrow();
        assertThat(failed.path("passed").asBoolean()).isFalse();
        assertThat(failed.path("exitCode").asInt()).isEqualTo(1);
        assertThat(failed.path("command").asString()).isEqualTo("sh test.sh");
        assertThat(failed.path("outputTail").asString()).contains("FAIL: sub 5 3 gave 8");
        // the failing output's tail is the retry's feedback, and no model judged the failed change
        assertThat(attempts.get(1).path("feedback").asString()).contains("The check 'test' (sh test.sh) failed",
                "FAIL: sub 5 3 gave 8");
        JsonNode firstVerdict = list(task.path("evaluations")).getFirst();
        assertThat(firstVerdict.path("verdict").asString()).isEqualTo("REVISE");
        assertThat(firstVerdict.path("judgedBy").asString()).isEqualTo("checks");
        assertThat(checks).anySatisfy(c -> {
            assertThat(c.path("attemptId").asLong()).isEqualTo(attempts.get(1).path("id").asLong());
            assertThat(c.path("name").asString()).isEqualTo("test");
            assertThat(c.path("passed").asBoolean()).isTrue();
        });

        JsonNode workspace = task.path("workspace");
        String branch = workspace.path("branch").asString();
        assertThat(branch).startsWith("grandpa/" + id.toString().substring(0, 8) + "-add-subtraction-to-calc-sh");
        String head = workspace.path("headCommit").asString();
        assertThat(checks).anySatisfy(c -> { // the acceptance check ran on the branch's head, and passed
            assertThat(c.path("attemptId").isNull()).isTrue();
            assertThat(c.path("commit").asString()).isEqualTo(head);
            assertThat(c.path("passed").asBoolean()).isTrue();
            assertThat(c.path("outputTail").asString()).contains("all tests passed");
        });
        String diff = service.get("/api/tasks/" + id + "/diff").text();
        assertThat(diff).contains("+  sub) echo $(($2 - $3)) ;;").doesNotContain("+  sub) echo $(($2 + $3))");
        assertThat(workspace.path("diffstat").asString()).contains("calc.sh", "1 insertion");
        assertThat(task.path("result").asString()).contains("Branch " + branch, "Check test (sh test.sh) passed");

        // the commit names its subtask, attempt and backend; grandpa wrote only a short summary
        String log = GIT.run(mirror("calc"), "log", "-1", "--format=%B", head);
        assertThat(log).contains("Add a sub operation to calc.sh", "Grandpa-Subtask: sub", "Grandpa-Backend: coder",
                "Grandpa-Attempt: " + attempts.get(1).path("id").asLong());
        assertThat(integrateCalls("Add subtraction to calc.sh")).singleElement()
                .satisfies(c -> assertThat(c.request().path("max_tokens").asInt()).isEqualTo(300));

        // a mirror that lost the branch (a new disk, say) gets it back from what is stored
        GIT.run(mirror("calc"), "branch", "-D", branch);
        assertThat(service.get("/api/tasks/" + id + "/diff").text()).isEqualTo(diff);
        assertThat(list(service.task(id).path("events"))).anySatisfy(e -> {
            assertThat(e.path("type").asString()).isEqualTo("branch.rebuilt");
            assertThat(e.path("data").path("changes").asInt()).isEqualTo(1);
        });
    }

    @Test
    void twoChangesToTheSameLinesConflictAndTheLaterIsMadeAgainOnTheMergedState() {
        coder.respondWith(call -> {
            String prompt = call.last("user");
            Matcher file = Pattern.compile("calc.sh as it is now:\n```\n([\\s\\S]*?)```").matcher(prompt);
            String line = file.find() ? file.group(1).lines().filter(l -> l.contains("*)")).findFirst().orElseThrow() : "?";
            String changed = prompt.contains("Your subtask: Add a colon")
                    ? line.replace("operation $1", "operation: $1") : line.replace("\"; exit 2", "\" >&2; exit 2");
            return Reply.text("calc.sh\n<<<<<<< SEARCH\n" + line + "\n=======\n" + changed + "\n>>>>>>> REPLACE\n")
                    .after(Duration.ofMillis(300));
        });
        UUID id = submit("messages", "Better messages in calc.sh", """
                - colon | code | - | Add a colon after 'operation' in the message of calc.sh
                - stderr | code | - | Send the message of calc.sh to standard error""");
        JsonNode task = service.awaitStatus(id, Duration.ofSeconds(60), "DONE", "BLOCKED");
        assertThat(task.path("status").asString()).as(task.path("statusReason").asString()).isEqualTo("DONE");

        assertThat(list(task.path("recoveries"))).anySatisfy(r -> {
            assertThat(r.path("rung").asString()).isEqualTo("CONFLICT");
            assertThat(r.path("reason").asString()).contains("conflicted");
        });
        assertThat(list(task.path("checks"))).anySatisfy(c -> {
            assertThat(c.path("name").asString()).isEqualTo("merge");
            assertThat(c.path("passed").asBoolean()).isFalse();
        });
        assertThat(list(task.path("evaluations"))).anySatisfy(e -> assertThat(e.path("judgedBy").asString())
                .isEqualTo("integration"));
        assertThat(list(task.path("attempts"))).hasSize(3);
        assertThat(service.get("/api/tasks/" + id + "/diff").text())
                .contains("+  *) echo \"unknown operation: $1\" >&2; exit 2 ;;");
    }

    @Test
    void aCommandLineAgentWorksTwoSubtasksAtOnceInWorktreesOfTheirOwn() {
        UUID id = submit("agents", "Write two files", """
                - a | agent | any | Write a.txt
                - b | agent | any | Write b.txt""");
        JsonNode task = service.awaitStatus(id, Duration.ofSeconds(60), "DONE", "BLOCKED");
        assertThat(task.path("status").asString()).as(task.path("statusReason").asString()).isEqualTo("DONE");

        List<JsonNode> attempts = list(task.path("attempts"));
        assertThat(attempts).hasSize(2);
        String outA = attempts.stream().map(a -> a.path("output").asString()).filter(o -> o.contains("a.txt")).findFirst()
                .orElseThrow();
        String outB = attempts.stream().map(a -> a.path("output").asString()).filter(o -> o.contains("b.txt")).findFirst()
                .orElseThrow();
        assertThat(outA).doesNotContain("b.txt"); // each saw only its own file
        assertThat(outB).doesNotContain("a.txt");
        assertThat(line(outA, "pwd=")).isNotEqualTo(line(outB, "pwd=")).contains(root.resolve("data/workspaces").toString());
        assertThat(outA + outB).doesNotContain("sk-leak-test").doesNotContain(GITEA_TOKEN); // none of the service's secrets
        // in the sandbox, the directory that holds both worktrees shows each agent only its own
        String dirA = Path.of(line(outA, "pwd=").substring(4)).getFileName().toString();
        assertThat(line(outA, "beside:").strip()).isEqualTo("beside: " + dirA);
        Instant aStart = Instant.parse(attempts.get(0).path("startedAt").asString());
        Instant bStart = Instant.parse(attempts.get(1).path("startedAt").asString());
        assertThat(Duration.between(aStart, bStart).abs()).isLessThan(Duration.ofMillis(900)); // at once
        assertThat(service.get("/api/tasks/" + id + "/diff").text()).contains("+++ b/a.txt", "+++ b/b.txt");
    }

    @Test
    void theBranchIsPushedAndAPullRequestOpenedAtGitea() throws Exception {
        coder.respondWith(call -> Reply.text("NOTES.md\n<<<<<<< SEARCH\n=======\n# Notes\nWritten for the task.\n"
                + ">>>>>>> REPLACE\n"));
        UUID id = submit("pushed", "Write the notes", "- notes | code | - | Write NOTES.md");
        JsonNode task = service.awaitStatus(id, Duration.ofSeconds(60), "DONE", "BLOCKED");
        assertThat(task.path("status").asString()).as(task.path("statusReason").asString()).isEqualTo("DONE");

        JsonNode workspace = task.path("workspace");
        String branch = workspace.path("branch").asString();
        String remote = GIT.run(root, "ls-remote", root.resolve("pushed.git").toString(), "refs/heads/" + branch);
        assertThat(remote).startsWith(workspace.path("headCommit").asString());
        assertThat(workspace.path("pushedAt").isNull()).isFalse();
        assertThat(workspace.path("pullRequestUrl").asString()).isEqualTo(gitea.url() + "/home/pushed/pulls/1");

        assertThat(gitea.opened()).singleElement().satisfies(pr -> {
            assertThat(pr.owner()).isEqualTo("home");
            assertThat(pr.repo()).isEqualTo("pushed");
            assertThat(pr.title()).isEqualTo("Write the notes");
            assertThat(pr.head()).isEqualTo(branch);
            assertThat(pr.base()).isEqualTo("main");
            assertThat(pr.authorization()).isEqualTo("token " + GITEA_TOKEN);
            assertThat(pr.body()).contains("notes: Write NOTES.md", "`test -f NOTES.md`: passed", "NOTES.md",
                    "Opened by grandpa for task " + id);
        });
    }

    @Test
    void aCheckCannotReachGrandpasPortNorWriteOutsideItsWorktree() throws Exception {
        int port = Integer.parseInt(service.context().getEnvironment().getProperty("local.server.port"));
        Path outside = root.resolve("outside-probe");
        repository("probe", Map.of("probe.sh", """
                #!/bin/bash
                if bash -c 'echo hello > /dev/tcp/127.0.0.1/%d' 2>/dev/null; then echo "reached grandpa"; exit 1; fi
                echo "no connection to grandpa's port"
                if touch %s 2>/dev/null; then echo "wrote outside"; exit 1; fi
                echo "no write outside the worktree"
                """.formatted(port, outside)));
        coder.respondWith(call -> Reply.text("NOTE.md\n<<<<<<< SEARCH\n=======\nprobed\n>>>>>>> REPLACE\n"));
        UUID id = submit("probe", "Probe the sandbox", "- note | code | - | Write NOTE.md");
        JsonNode task = service.awaitStatus(id, Duration.ofSeconds(60), "DONE", "BLOCKED");
        assertThat(task.path("status").asString()).as(task.path("statusReason").asString()).isEqualTo("DONE");
        assertThat(list(task.path("checks"))).filteredOn(c -> c.path("name").asString().equals("probe"))
                .isNotEmpty().allSatisfy(c -> {
                    assertThat(c.path("passed").asBoolean()).isTrue();
                    assertThat(c.path("outputTail").asString()).contains("no connection to grandpa's port",
                            "no write outside the worktree");
                });
        assertThat(outside).doesNotExist();
    }

    @Test
    void aTaskNamesAConfiguredRepositoryAndOneOfItsChecks() {
        var unknown = service.post("/api/tasks", "{\"goal\":\"x\",\"repo\":\"gitea/nowhere\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("unknown repository 'gitea/nowhere'", "calc", "pushed");
        var command = service.post("/api/tasks", "{\"goal\":\"x\",\"repo\":\"calc\",\"acceptanceCommand\":\"rm -rf /\"}");
        assertThat(command.status()).isEqualTo(400);
        assertThat(command.text()).contains("acceptanceCommand names a check of repository calc", "[test]");
        UUID plain = service.submit("no repository");
        assertThat(service.get("/api/tasks/" + plain + "/diff").status()).isEqualTo(404);
    }

    // --- the scripted grandpa: plans the subtasks the goal lists, passes every change, sums up briefly

    static Reply grandpa(ChatCall call) {
        if ("plan".equals(call.schemaName())) {
            var subtasks = new ArrayList<Map<String, Object>>();
            Matcher m = SUBTASK_LINE.matcher(call.last("user"));
            while (m.find()) {
                var s = new java.util.LinkedHashMap<String, Object>(Map.of("id", m.group(1), "title", m.group(4),
                        "instructions", m.group(4) + ".", "kind", "code", "capability", m.group(2), "depends_on", List.of(),
                        "acceptance_criteria", List.of(m.group(4))));
                if (!m.group(3).equals("-")) {
                    s.put("check", m.group(3));
                }
                subtasks.add(s);
            }
            return Reply.text(Grandpa.JSON.writeValueAsString(Map.of("summary", "as listed", "subtasks", subtasks)));
        }
        if ("verdict".equals(call.schemaName())) {
            return Reply.text(StandInGrandpa.verdict("pass", 0.9, "The change does what was asked."));
        }
        return Reply.text("Done as asked (stand-in summary).");
    }

    static Reply unsureJudge(ChatCall call) {
        return Reply.text("{\"verdict\":\"pass\",\"score\":0.5,\"feedback\":\"cannot tell\",\"confidence\":0.1}");
    }

    static UUID submit(String repo, String title, String subtasks) {
        return RepositoryFixtures.submit(service, repo, title, subtasks);
    }

    static void repository(String name, Map<String, String> files) throws Exception {
        RepositoryFixtures.push(RepositoryFixtures.seed(root, name, files));
    }

    static void repositorySettings(Map<String, Object> p, int i, String name, Map<String, String> checks, String acceptance) {
        String prefix = "grandpa.repositories[" + i + "].";
        p.put(prefix + "name", name);
        p.put(prefix + "url", root.resolve(name + ".git").toString());
        checks.forEach((check, command) -> p.put(prefix + "checks." + check, command));
        p.put(prefix + "acceptance", acceptance);
    }

    static Path mirror(String name) {
        return root.resolve("data/workspaces/mirrors/" + name + ".git");
    }

    static List<ChatCall> integrateCalls(String goal) {
        return grandpaModel.received().stream().filter(c -> c.schemaName() == null
                && c.last("user").startsWith("Request: integrate.") && c.last("user").contains(goal)).toList();
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }
}
