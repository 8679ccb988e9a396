package dev.familiar.grandpa.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Makes a bake-off case from one of the owner's repositories, here, without the service: the repository's
 * files at a commit become the case's {@code repo/}, the held-out tests are copied beside it, and the case
 * is added to the suite's {@code suite.yaml} (made when the folder has none). The service runs it once the
 * suite's folder is among {@code grandpa.evals.suites}.
 */
@Command(name = "new-case", mixinStandardHelpOptions = true, description = {"Makes a bake-off case from a repository, a "
        + "commit and a test command, in a suite's folder (run here; the service reads the folder when it is among its "
        + "grandpa.evals.suites)."})
final class EvalNewCaseCommand implements Callable<Integer> {
    @Option(names = "--suite", required = true, description = "the suite's folder (made if missing)")
    Path suite;

    @Option(names = "--id", required = true, description = "the case's id: lower-case letters, digits and dashes")
    String id;

    @Option(names = "--repo", required = true, description = "a local git repository")
    Path repo;

    @Option(names = "--commit", defaultValue = "HEAD", description = "the commit the task starts from (default HEAD)")
    String commit;

    @Option(names = "--goal", required = true, description = "what the task is asked to do")
    String goal;

    @Option(names = "--check", required = true, description = "the test command the coders may run (in the case's "
            + "repository, in the sandbox)")
    String check;

    @Option(names = "--held-out", description = "a folder of tests the coders never see, copied into the case's held-out/")
    Path heldOut;

    @Option(names = "--held-out-check", description = "the command that runs the held-out tests (default: --check)")
    String heldOutCheck;

    @Option(names = "--solution-commit", description = "a commit that solves the case: the files it changed are kept in "
            + "solution/ (for the scripted coder that solves every case)")
    String solutionCommit;

    @Option(names = "--language", description = "the case's language, as the suite's tables show it")
    String language;

    private final Console console;

    EvalNewCaseCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("--id: lower-case letters, digits and dashes, not '" + id + "'");
        }
        Path folder = suite.resolve(id);
        if (Files.exists(folder)) {
            throw new IllegalArgumentException("the suite has a folder " + folder + " already: choose another --id");
        }
        String rev = git("rev-parse", "--verify", commit + "^{commit}").strip();
        Files.createDirectories(folder.resolve("repo"));
        extract(rev, folder.resolve("repo"));
        Files.createDirectories(folder.resolve("held-out"));
        if (heldOut != null) {
            copy(heldOut, folder.resolve("held-out"));
        }
        if (solutionCommit != null) {
            String solved = git("rev-parse", "--verify", solutionCommit + "^{commit}").strip();
            for (String file : git("diff", "--name-only", "--diff-filter=AM", rev, solved).lines().toList()) {
                Path target = folder.resolve("solution").resolve(file);
                Files.createDirectories(target.getParent());
                Files.writeString(target, git("show", solved + ":" + file));
            }
        }
        appendCase(rev);
        console.out().println("made case " + id + " in " + folder + " from " + rev.substring(0, 12) + ".");
        if (heldOut == null) {
            console.out().println("Put the held-out tests into " + folder.resolve("held-out") + ": they decide whether a run "
                    + "solved the case.");
        }
        console.out().println("Check that the case fails as given: run the check in " + folder.resolve("repo") + ".");
        console.out().flush();
        return 0;
    }

    private void appendCase(String rev) throws IOException {
        Path manifest = suite.resolve("suite.yaml");
        var lines = new StringBuilder();
        if (!Files.exists(manifest)) {
            lines.append("name: ").append(quoted(suite.toAbsolutePath().normalize().getFileName().toString())).append('\n')
                    .append("cases:\n");
        }
        lines.append("  - id: ").append(id).append('\n');
        if (language != null) {
            lines.append("    language: ").append(quoted(language)).append('\n');
        }
        lines.append("    # from ").append(quoted(repo.toAbsolutePath().normalize().toString())).append(" at ").append(rev)
                .append('\n');
        lines.append("    goal: ").append(quoted(goal)).append('\n');
        lines.append("    checks: {test: ").append(quoted(check)).append("}\n");
        lines.append("    acceptance: test\n");
        lines.append("    held-out: ").append(quoted(heldOutCheck == null ? check : heldOutCheck)).append('\n');
        Files.writeString(manifest, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** A YAML double-quoted scalar (a JSON string is one), whatever the text holds. */
    private static String quoted(String text) {
        return ApiClient.JSON.writeValueAsString(text);
    }

    private void extract(String rev, Path into) throws IOException, InterruptedException {
        var pipeline = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder("git", "-C", repo.toString(), "archive", "--format=tar", rev)
                        .redirectError(ProcessBuilder.Redirect.DISCARD),
                new ProcessBuilder("tar", "-x", "-C", into.toString()).redirectErrorStream(true)));
        for (Process p : pipeline) {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("could not take the files of " + repo + " at " + rev + " (git archive | tar)");
            }
        }
    }

    private String git(String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalArgumentException("git " + String.join(" ", args) + " in " + repo + ": " + err.strip());
        }
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(file)) {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
