package dev.familiar.grandpa.workspace.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a confined command line to its end or its time limit, keeping the tail of its output. */
final class SandboxedProcess {
    private SandboxedProcess() {}

    static CheckResult run(List<String> argv, Path dir, String command, Limits limits) {
        long start = System.nanoTime();
        Process process;
        try {
            var builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", Sandbox.PATH);
            builder.environment().put("HOME", Sandbox.HOME);
            builder.environment().put("LANG", "C.UTF-8");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        try {
            process.getOutputStream().close();
            var tail = new Tail(limits.outputBytes());
            Thread reader = Thread.ofVirtual().start(() -> tail.read(process.getInputStream()));
            boolean finished = process.waitFor(limits.time().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5_000);
            long ms = (System.nanoTime() - start) / 1_000_000;
            return new CheckResult(command, finished ? process.exitValue() : -1, ms, !finished,
                    finished ? tail.text() : tail.text() + "\n[killed after " + limits.time().toSeconds() + " s]");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (process.isAlive()) { // interrupted (the task was cancelled, the service stops): nothing is left running
                kill(process);
            }
        }
    }

    /**
     * Gives the worktree to the unprivileged user commands run as (grandpa runs as root): links are
     * changed themselves, never followed, so nothing outside the worktree changes owner.
     */
    static void handOver(Path dir, int uid) {
        HostCommand.run(List.of("chown", "-R", "-P", "-h", uid + ":" + uid, dir.toString()));
    }

    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The last bytes of a stream, the rest read and dropped so the command never blocks on its output. */
    private static final class Tail {
        private final byte[] ring;
        private long total;

        Tail(int size) {
            this.ring = new byte[size];
        }

        void read(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % ring.length)] = buffer[i];
                        }
                    }
                }
            } catch (IOException e) {
                // the process went away; what was read stands
            }
        }

        synchronized String text() {
            int size = (int) Math.min(total, ring.length);
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) {
                out[i] = ring[(int) ((total - size + i) % ring.length)];
            }
            String text = new String(out, StandardCharsets.UTF_8);
            return total > ring.length ? "[" + (total - ring.length) + " bytes before this were dropped]\n" + text : text;
        }
    }
}
