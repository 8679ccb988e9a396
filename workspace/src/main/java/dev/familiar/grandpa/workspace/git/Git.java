package dev.familiar.grandpa.workspace.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The git command line, run with a time limit, never asking for a password (a prompt would hang),
 * with grandpa as the author of its commits. Credentials, when a repository has them, go in through
 * the environment (git's {@code GIT_CONFIG_*} variables), never on the command line where any process
 * list would show them.
 */
public final class Git {
    /** What a git command answered. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Duration timeout;

    public Git(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs git in {@code dir}; its standard output, or a {@link GitException} with what went wrong. */
    public String run(Path dir, String... args) {
        return run(dir, Map.of(), args);
    }

    public String run(Path dir, Map<String, String> env, String... args) {
        Result result = attempt(dir, env, null, args);
        if (!result.ok()) {
            throw new GitException("git " + String.join(" ", args) + " failed (" + result.exitCode() + "): "
                    + result.err().strip(), result.exitCode());
        }
        return result.out();
    }

    /**
     * git as grandpa runs it, for a caller that reads its output as it comes ({@code cat-file --batch}): no
     * hooks, no prompts, its own author, any owner's repository.
     */
    public static ProcessBuilder process(Path dir, String... args) {
        var command = new ArrayList<String>(List.of("git", "-c", "user.name=grandpa", "-c", "user.email=grandpa@localhost",
                "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null",
                // worktrees belong to the sandbox's user while commands run there (grandpa as root)
                "-c", "safe.directory=*"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_ASKPASS", "/bin/false");
        return builder;
    }

    /** Runs git and returns whatever it answered, failure included; {@code stdin} may be null. */
    public Result attempt(Path dir, Map<String, String> env, byte[] stdin, String... args) {
        var builder = process(dir, args);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            var out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), Thread::startVirtualThread);
            var err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), Thread::startVirtualThread);
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new GitException("git " + String.join(" ", args) + " did not finish within " + timeout.toSeconds() + " s", -1);
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run git " + String.join(" ", args), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitException("interrupted while running git " + String.join(" ", args), -1);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
