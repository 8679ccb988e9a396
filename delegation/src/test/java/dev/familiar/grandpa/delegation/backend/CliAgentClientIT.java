package dev.familiar.grandpa.delegation.backend;

import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.ErrorKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command-line agent run for real: a small shell script standing in for aider or codex. */
class CliAgentClientIT {
    static final Assignment TEXT_ONLY = new Assignment("Ship it", "Write the lexer", "Tokenise.", List.of(), List.of(), null);

    @TempDir
    Path dir;

    /** The assignment in the directory grandpa made for the attempt (here unconfined: the sandbox is core's). */
    Assignment work() {
        return new Assignment("Ship it", "Write the lexer", "Tokenise.", List.of(), List.of(), null, dir.toString(),
                List.of());
    }

    CoderBackend agent(String script, Duration timeout) throws IOException {
        Path file = dir.resolve("agent.sh");
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return new CoderBackend(new BackendSpec("agent", BackendKind.CLI, null, null, null, List.of(file.toString()),
                dir.toString(), Set.of("code"), 1, timeout, null, 1.0));
    }

    @Test
    void theAgentGetsThePromptOnStdinAndItsOutputIsTheAnswer() throws Exception {
        var backend = agent("""
                prompt=$(cat)
                echo "wd=$(pwd)"
                echo "$prompt" | grep -c 'Write the lexer'""", Duration.ofSeconds(10));
        CoderReply reply = backend.complete(work());
        assertThat(reply.text()).contains("wd=" + dir.toRealPath(), "1");
        assertThat(reply.truncated()).isFalse();
        assertThat(backend.probe()).isTrue();
    }

    @Test
    void aFailingExitStatusIsReportedWithTheEndOfItsErrors() throws Exception {
        var failure = catchThrowableOfType(CallFailure.class,
                () -> agent("cat > /dev/null; echo 'fatal: no repo' >&2; exit 3", Duration.ofSeconds(10)).complete(work()));
        assertThat(failure.kind()).isEqualTo(ErrorKind.COMMAND_FAILED);
        assertThat(failure.getMessage()).contains("exit status 3", "fatal: no repo");
    }

    @Test
    void aHungAgentIsKilledAtItsTimeLimitWithWhatItStarted() throws Exception {
        Path marker = dir.resolve("child.pid");
        long start = System.nanoTime();
        var failure = catchThrowableOfType(CallFailure.class, () -> agent(
                "sleep 60 & echo $! > " + marker + "; wait", Duration.ofSeconds(1)).complete(work()));
        assertThat(failure.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        long child = Long.parseLong(Files.readString(marker).trim());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void outputBeyondTheCapIsDroppedAndMarkedCutOff() throws Exception {
        CoderReply reply = agent("cat > /dev/null; head -c 3000000 /dev/zero | tr '\\\\0' 'x'", Duration.ofSeconds(20)).complete(work());
        assertThat(reply.text()).hasSize(CliAgentClient.OUTPUT_CAP);
        assertThat(reply.truncated()).isTrue();
    }

    @Test
    void aMissingProgramIsUnreachable() {
        var backend = new CoderBackend(new BackendSpec("ghost", BackendKind.CLI, null, null, null,
                List.of("/nonexistent/agent"), null, Set.of("code"), 1, Duration.ofSeconds(1), null, 1.0));
        assertThat(backend.probe()).isFalse();
        assertThat(catchThrowableOfType(CallFailure.class, () -> backend.complete(work())).kind()).isEqualTo(ErrorKind.UNREACHABLE);
    }

    @Test
    void theAgentSeesOnlyTheKeyItNamesOfTheServiceEnvironment() throws Exception {
        // the test JVM's environment stands for the service's: HOME and PATH pass, JAVA_HOME and the like do not
        Path file = dir.resolve("env.sh");
        Files.writeString(file, "#!/bin/sh\ncat > /dev/null\nenv\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        var backend = new CoderBackend(new BackendSpec("agent", BackendKind.CLI, null, null, "HOME",
                List.of(file.toString()), dir.toString(), Set.of("code"), 1, Duration.ofSeconds(10), null, 1.0));
        String env = backend.complete(work()).text();
        var names = env.lines().filter(l -> l.contains("=")).map(l -> l.substring(0, l.indexOf('='))).toList();
        assertThat(names).contains("PATH", "HOME").isSubsetOf("PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM", "TMPDIR",
                "PWD", "SHLVL", "_", "OLDPWD");
    }

    @Test
    void anAgentNeverRunsWithoutADirectoryMadeForItsAttempt() throws Exception {
        var backend = agent("cat > /dev/null; touch ran-here", Duration.ofSeconds(10));
        var failure = catchThrowableOfType(CallFailure.class, () -> backend.complete(TEXT_ONLY));
        assertThat(failure.getMessage()).contains("runs only in a directory made for its attempt");
        assertThat(dir.resolve("ran-here")).doesNotExist();
        assertThat(Path.of("ran-here")).doesNotExist();
    }

    @Test
    void anAssignmentInARepositoryRunsTheAgentInItsWorktreeUnderItsLauncher() throws Exception {
        Path worktree = Files.createDirectories(dir.resolve("worktree"));
        var backend = agent("cat > /dev/null; echo \"wd=$(pwd) launched=$LAUNCHED\"; touch made-here", Duration.ofSeconds(10));
        var inWorktree = new Assignment("Ship it", "Write the lexer", "Tokenise.", List.of(), List.of(), null,
                worktree.toString(), List.of("/usr/bin/env", "LAUNCHED=yes"));
        assertThat(backend.complete(inWorktree).text()).contains("wd=" + worktree.toRealPath(), "launched=yes");
        assertThat(worktree.resolve("made-here")).exists();
        assertThat(dir.resolve("made-here")).doesNotExist();
    }
}
