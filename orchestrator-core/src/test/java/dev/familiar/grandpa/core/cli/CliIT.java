package dev.familiar.grandpa.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.core.testing.NotesRepository;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.core.cli.Commands.Run;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command-line client against the running service, over real HTTP: a task in a real git
 * repository submitted and followed to DONE, listed, shown and diffed; a task cancelled and watched
 * (exit 1); usage errors (exit 2); a service that is not there or refuses the token (exit 3); the
 * goal from standard input; the URL and token from the user's configuration file; and the built jar
 * run as a process. The models are stand-ins (scripted, over HTTP, saying so).
 */
class CliIT {

    static Path root;
    static Models models;
    static Grandpa service;

    @BeforeAll
    static void serviceWithARepository() throws Exception {
        root = Files.createDirectories(Path.of("target", "cli-it", UUID.randomUUID().toString()).toAbsolutePath());
        NotesRepository.create(root);

        models = new Models("coder-a");
        var scripted = new StandInGrandpa(); // a goal that says "impossible" gets plans that are refused: BLOCKED
        models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) && call.last("user").contains("impossible")
                ? Reply.text("{\"subtasks\": []}") : scripted.answer(call));
        // each subtask writes a file named after its title; a goal that says "slow" keeps the coder a minute
        models.coder("coder-a").respondWith(call -> {
            Reply reply = NotesRepository.fileFor(call.last("user"));
            return call.last("user").contains("slow") ? reply.after(Duration.ofSeconds(60)) : reply;
        });
        var p = Grandpa.defaults(TestPostgres.newDatabase());
        p.putAll(models.properties(2, Duration.ofSeconds(90)));
        p.put("grandpa.engine.shutdown-grace", "1s");
        p.put("grandpa.workspaces.dir", root.resolve("data/workspaces").toString());
        p.put("grandpa.sandbox.hidden[0]", root.resolve("data").toString());
        p.put("grandpa.repositories[0].name", "notes");
        p.put("grandpa.repositories[0].url", root.resolve("notes.git").toString());
        p.put("grandpa.repositories[0].checks.listed", "ls");
        p.put("grandpa.repositories[0].acceptance", "listed");
        service = Grandpa.start(p);
    }

    @AfterAll
    static void stop() {
        service.close();
        models.close();
    }

    @Test
    void aTaskSubmittedAndFollowedToItsEndThenListedShownAndDiffed() {
        Run submitted = cli("submit", "--repo", "notes", "--label", "cli", "--wait", "Write", "the", "notes");
        assertThat(submitted.code()).as(submitted.out() + submitted.err()).isZero();
        String id = submitted.out().lines().findFirst().orElseThrow();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(submitted.out()).contains("plan v1: 3 subtasks", " -> coder-a", "check listed", "accepted (coder-a)",
                "grandpa's plan:", "\nDONE");

        assertThat(cli("ls").out()).contains(id + "  DONE", "Write the notes");
        assertThat(cli("ls", "--status", "blocked").out()).doesNotContain(id);
        Run shown = cli("show", id);
        assertThat(shown.code()).isZero();
        assertThat(shown.out()).contains("status:  DONE", "repo:    notes, branch grandpa/", "impl", "PASS by grandpa");
        assertThat(cli("show", "--json", id).out()).contains("\"status\" : \"DONE\"");
        Run diff = cli("diff", id);
        assertThat(diff.code()).isZero();
        assertThat(diff.out()).contains("+++ b/implement-the-change.md", "+# Implement the change");
        assertThat(cli("backends").out()).contains("coder-a", "ready", "CLOSED");
        assertThat(cli("runtime").out()).contains("model server: READY");
        Run ps = cli("ps");
        assertThat(ps.code()).as(ps.err()).isZero();
        assertThat(ps.out()).contains("MODEL     READY", "SESSION   slot 0", "TASKS     ", "BACKENDS", "coder-a");
    }

    @Test
    void everyCommandPrintsJsonWhenAsked() {
        Run submitted = cli("submit", "--json", "--repo", "notes", "Write", "a", "file");
        assertThat(submitted.code()).as(submitted.err()).isZero();
        String id = Grandpa.JSON.readTree(submitted.out()).path("id").asString();
        Run watched = cli("watch", "--json", id);
        List<String> lines = watched.out().lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(Grandpa.JSON.readTree(line).isObject()).isTrue());
        assertThat(Grandpa.JSON.readTree(lines.getFirst()).path("type").asString()).isEqualTo("submitted");
        assertThat(Grandpa.JSON.readTree(lines.getLast()).path("status").asString()).isEqualTo("DONE");
        for (var command : List.of(List.of("show", id), List.of("ls"), List.of("backends"), List.of("runtime"), List.of("ps"),
                List.of("diff", id), List.of("cancel", id))) {
            var args = new ArrayList<>(command);
            args.add("--json");
            Run run = cli(args.toArray(String[]::new));
            if (command.getFirst().equals("cancel")) { // a finished task cannot be cancelled: 409, said in words
                assertThat(run.code()).isEqualTo(3);
                continue;
            }
            assertThat(run.code()).as(command + ": " + run.err()).isZero();
            assertThat(Grandpa.JSON.readTree(run.out()).isContainer()).as(command.toString()).isTrue();
        }
        assertThat(Grandpa.JSON.readTree(cli("ps", "--json").out()).path("runtime").path("status").path("state").asString())
                .isEqualTo("READY");
    }

    @Test
    void aCancelledTaskWatchedEndsWithExitOne() {
        Run submitted = cli("submit", "a slow task that will be cancelled");
        assertThat(submitted.code()).isZero();
        String id = submitted.out().strip();
        service.awaitStatus(UUID.fromString(id), Duration.ofSeconds(30), "RUNNING");
        Run cancelled = cli("cancel", id);
        assertThat(cancelled.code()).isZero();
        assertThat(cancelled.out()).contains(id + " CANCELLED");
        Run watched = cli("watch", id);
        assertThat(watched.code()).isEqualTo(1);
        assertThat(watched.out()).contains("status CANCELLED", "\nCANCELLED");
        assertThat(cli("resume", id).code()).as("a cancelled task cannot be resumed: 409").isEqualTo(3);
    }

    @Test
    void aBlockedTaskEndsTheWaitWithExitOne() {
        Run submitted = cli("submit", "--wait", "an impossible task");
        assertThat(submitted.code()).as(submitted.out() + submitted.err()).isEqualTo(1);
        assertThat(submitted.out()).contains("status BLOCKED", "\nBLOCKED: ");
    }

    @Test
    void placementAndServeGetTheirArgumentsInOrder() {
        Run placement = Commands.service(Map.of(), "placement", "--model", root.resolve("none.gguf").toString(), "--gpu",
                "96GiB", "--ctx", "4096");
        assertThat(placement.code()).isEqualTo(2);
        assertThat(placement.err()).contains("none.gguf: no such file");
        var served = new java.util.ArrayList<String>();
        var console = new Console(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                new ByteArrayInputStream(new byte[0]), Map.of());
        assertThat(ServiceCommands.run(new String[] {"serve", "--server.port=8181", "--spring.profiles.active=demo"}, console,
                args -> served.addAll(List.of(args)))).isEqualTo(ServeCommand.SERVING);
        assertThat(served).containsExactly("--server.port=8181", "--spring.profiles.active=demo");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(cli("submit").code()).isEqualTo(2); // no words, no file, empty standard input
        Run badId = cli("show", "not-a-task");
        assertThat(badId.code()).isEqualTo(2);
        assertThat(badId.err()).contains("'not-a-task' is not a task id");
        assertThat(cli("frobnicate").code()).isEqualTo(2);
        assertThat(cli("ls", "--limit").code()).isEqualTo(2);
    }

    @Test
    void helpIsAskedForAndAnsweredWithExitZeroEverywhere() {
        for (String command : List.of("submit", "ls", "show", "watch", "cancel", "resume", "diff", "backends", "runtime",
                "ps", "mcp", "backup", "eval", "eval run", "eval show", "eval ls", "eval cancel", "eval resume",
                "eval compare", "eval new-case")) {
            var words = new java.util.ArrayList<>(List.of(command.split(" ")));
            words.add("--help");
            Run help = cli(words.toArray(String[]::new));
            assertThat(help.code()).as(command + " --help: " + help.err()).isZero();
            assertThat(help.out()).as(command).containsIgnoringCase("usage");
        }
        for (String command : List.of("restore", "placement", "serve")) {
            Run help = Commands.service(Map.of(), command, "--help");
            assertThat(help.code()).as(command + " --help: " + help.err()).isZero();
            assertThat(help.out()).as(command).containsIgnoringCase("usage");
        }
        assertThat(cli("--help").out()).as("the client names the service's commands").contains("serve", "restore", "placement");
        Run completion = cli("generate-completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F", "grandpa", "submit", "ps");
        Run clientCommand = Commands.service(Map.of(), "ls");
        assertThat(clientCommand.code()).as("the service jar carries no client").isEqualTo(2);
        assertThat(clientCommand.err()).contains("grandpa-cli.jar");
    }

    @Test
    void aTaskIsNamedByTheStartOfItsIdAsTheDashboardShowsIt() {
        UUID id = service.submit("Named by eight characters");
        String shown = id.toString().substring(0, 8);
        Run show = cli("show", shown);
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains(id.toString());
        Run nobody = cli("show", "ffffffff".equals(shown) ? "eeeeeeee" : "ffffffff");
        assertThat(nobody.code()).isEqualTo(2);
        assertThat(nobody.err()).contains("no task's id starts with");
    }

    @Test
    void aServiceThatIsNotThereOrRefusesTheTokenExitsWithThree() {
        Run away = run(console(Map.of(), ""), "ls", "--url", "http://127.0.0.1:1");
        assertThat(away.code()).isEqualTo(3);
        assertThat(away.err()).contains("no answer at http://127.0.0.1:1");
        Run refused = run(console(Map.of(), ""), "ls", "--url", service.url(""), "--token", "not-a-token");
        assertThat(refused.code()).isEqualTo(3);
        assertThat(refused.err()).contains("401");
        Run unknown = cli("show", UUID.randomUUID().toString());
        assertThat(unknown.code()).isEqualTo(3);
        assertThat(unknown.err()).contains("404");
    }

    @Test
    void theGoalComesFromStandardInputAndTheConnectionFromTheConfigurationFile() throws Exception {
        Path config = Files.createDirectories(root.resolve("config/grandpa"));
        Files.writeString(config.resolve("client.properties"), "url=" + service.url("") + "\ntoken=" + Grandpa.OPERATOR + "\n");
        var env = Map.of("XDG_CONFIG_HOME", root.resolve("config").toString());
        Run submitted = run(console(env, "Write a changelog\nwith every release in it"), "submit", "--title", "changelog");
        assertThat(submitted.code()).as(submitted.err()).isZero();
        UUID id = UUID.fromString(submitted.out().strip());
        assertThat(service.task(id).path("goal").asString()).isEqualTo("Write a changelog\nwith every release in it");
        assertThat(run(console(env, ""), "ls").out()).contains(id + "  ", "changelog");
        // a viewer's token from the environment beats the file: it may read, not submit
        var viewer = new HashMap<>(env);
        viewer.put("GRANDPA_TOKEN", Grandpa.VIEWER);
        assertThat(run(console(viewer, ""), "show", id.toString()).code()).isZero();
        Run forbidden = run(console(viewer, ""), "submit", "more");
        assertThat(forbidden.code()).isEqualTo(3);
        assertThat(forbidden.err()).contains("403");
    }

    @Test
    void theBuiltClientJarRunsWithoutSpringOrTheService() throws Exception {
        Path jar = Commands.CLIENT_JAR;
        assertThat(jar).exists();
        try (var entries = new java.util.jar.JarFile(jar.toFile())) {
            assertThat(entries.stream().map(java.util.jar.JarEntry::getName))
                    .noneMatch(name -> name.startsWith("org/springframework/") || name.startsWith("dev/familiar/grandpa/core/"));
        }
        try (var service = new java.util.jar.JarFile(Path.of("target", "grandpa.jar").toFile())) {
            assertThat(service.stream().map(java.util.jar.JarEntry::getName)).as("the service jar carries no client")
                    .noneMatch(name -> name.contains("dev/familiar/grandpa/cli/"));
        }
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(),
                "ls", "--url", service.url("")));
        var process = new ProcessBuilder(command).redirectErrorStream(true);
        process.environment().put("GRANDPA_TOKEN", Grandpa.VIEWER);
        Process p = process.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("ID").doesNotContain("Spring", "Started");
    }

    private static Run cli(String... args) {
        var env = Map.of("GRANDPA_URL", service.url(""), "GRANDPA_TOKEN", Grandpa.ADMIN);
        return run(console(env, ""), args);
    }

    /** The environment a command sees and what it reads on standard input. */
    private record Captured(Map<String, String> env, String stdin) {}

    private static Captured console(Map<String, String> env, String stdin) {
        var withHome = new HashMap<>(env);
        withHome.putIfAbsent("HOME", root.resolve("home").toString()); // no real user's configuration
        return new Captured(withHome, stdin);
    }

    private static Run run(Captured captured, String... args) {
        return Commands.client(captured.env(), captured.stdin(), args);
    }
}
