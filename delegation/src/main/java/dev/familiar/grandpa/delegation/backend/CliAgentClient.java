package dev.familiar.grandpa.delegation.backend;

import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A command-line coding agent: the command runs in the directory made for its attempt (a worktree, or
 * a scratch directory), under the assignment's launcher (the sandbox), with the assignment on standard
 * input; its standard output, up to a cap, is the answer. Its environment holds only what a program
 * needs to run and the API key variable it names, never the rest of the service's. It is killed,
 * with any processes it started, when its time is up.
 */
final class CliAgentClient implements CoderClient {
    /** Output beyond this is dropped and the answer marked as cut off. */
    static final int OUTPUT_CAP = 1 << 20;
    private static final int ERROR_TAIL = 2000;
    private static final List<String> KEPT = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM", "TMPDIR");

    private final BackendSpec spec;

    CliAgentClient(BackendSpec spec) {
        this.spec = spec;
    }

    @Override
    public CoderReply call(Assignment assignment, Consumer<String> output) throws CallFailure {
        long start = System.nanoTime();
        if (assignment.workdir() == null) { // never the service's own directory
            throw new CallFailure(ErrorKind.COMMAND_FAILED, spec.name() + ": a command-line agent runs only in a directory "
                    + "made for its attempt", 0, null);
        }
        var argv = new ArrayList<>(assignment.launcher());
        argv.addAll(spec.command());
        var builder = new ProcessBuilder(argv).directory(new File(assignment.workdir()));
        environment(builder.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CallFailure(ErrorKind.UNREACHABLE, spec.name() + ": cannot start " + spec.command().getFirst()
                    + ": " + e.getMessage(), millis(start), e);
        }
        try {
            var stdout = new Capture(process.getInputStream(), OUTPUT_CAP, output);
            var stderr = new Capture(process.getErrorStream(), 64 * 1024, null);
            Thread.ofVirtual().start(() -> feed(process.getOutputStream(), assignment.prompt()));
            Thread out = Thread.ofVirtual().start(stdout);
            Thread err = Thread.ofVirtual().start(stderr);
            if (!process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new CallFailure(ErrorKind.TIMEOUT, spec.name() + ": killed after " + spec.timeout().toSeconds()
                        + " s without finishing", millis(start), null);
            }
            out.join(5_000);
            err.join(5_000);
            if (process.exitValue() != 0) {
                throw new CallFailure(ErrorKind.COMMAND_FAILED, spec.name() + ": exit status " + process.exitValue()
                        + ": " + tail(stderr.text()), millis(start), null);
            }
            String text = stdout.text();
            if (text.isBlank()) {
                throw new CallFailure(ErrorKind.EMPTY_RESPONSE, spec.name() + ": printed nothing", millis(start), null);
            }
            return new CoderReply(text, stdout.truncated() ? "length" : "stop", null, null, millis(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailure(ErrorKind.INTERRUPTED, spec.name() + ": interrupted", millis(start), e);
        } finally {
            if (process.isAlive()) {
                kill(process);
            }
        }
    }

    @Override
    public boolean probe() {
        String program = spec.command().getFirst();
        if (program.contains(File.separator)) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** What a program needs to run, and the one secret the backend names: nothing else of the service's. */
    private void environment(Map<String, String> env) {
        Map<String, String> inherited = Map.copyOf(env);
        env.clear();
        for (String name : KEPT) {
            if (inherited.containsKey(name)) {
                env.put(name, inherited.get(name));
            }
        }
        if (spec.apiKeyEnv() != null && inherited.containsKey(spec.apiKeyEnv())) {
            env.put(spec.apiKeyEnv(), inherited.get(spec.apiKeyEnv()));
        }
    }

    private static void feed(OutputStream stdin, String prompt) {
        try (stdin) {
            stdin.write(prompt.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the agent closed its input early; what it printed still counts
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= ERROR_TAIL ? t : "…" + t.substring(t.length() - ERROR_TAIL);
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Reads a stream to its end, keeping at most {@code cap} bytes and passing on what it reads. */
    private static final class Capture implements Runnable {
        private final InputStream in;
        private final int cap;
        private final Consumer<String> listener;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean truncated;

        Capture(InputStream in, int cap, Consumer<String> listener) {
            this.in = in;
            this.cap = cap;
            this.listener = listener;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    int room = cap - kept.size();
                    if (n > room) {
                        truncated = true;
                    }
                    int keep = Math.max(0, Math.min(n, room));
                    synchronized (kept) {
                        kept.write(buffer, 0, keep);
                    }
                    if (listener != null && keep > 0) {
                        listener.accept(new String(buffer, 0, keep, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                // the process was killed; what was read is kept
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }

        boolean truncated() {
            return truncated;
        }
    }
}
