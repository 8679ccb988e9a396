package dev.familiar.grandpa.runtime.supervise;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the grandpa model's {@code llama-server} up. Attached, it only watches a server someone else
 * runs. Given a command (the process itself, or {@code podman run ...} for a container) it starts it,
 * waits for {@code /health} through the minutes a large model takes to load (reporting LOADING with
 * the time so far), restarts it with growing pauses when it dies, gives up on a start that never
 * becomes ready (DOWN, with the reason) before trying again, and stops it with the service. The last
 * lines of its log are kept and read for buffer sizes and prompt-cache misses.
 */
public final class RuntimeSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuntimeSupervisor.class);

    /**
     * @param serverUrl    the server's root, e.g. {@code http://127.0.0.1:8000}
     * @param command      empty to attach; else the command line that starts the server
     * @param readyTimeout how long a start may take before it counts as failed
     */
    public record Settings(URI serverUrl, List<String> command, Duration readyTimeout, Duration pollInterval,
                           Duration minBackoff, Duration maxBackoff, int logLines) {
        public Settings {
            command = command == null ? List.of() : List.copyOf(command);
        }

        public boolean attached() {
            return command.isEmpty();
        }
    }

    /** What the API and the health endpoint show. */
    public record Status(RuntimeState state, String reason, Instant since, Long pid, int restarts, List<String> logTail,
                         Map<String, Double> buffersMiB, long cacheMisses, ServerTimings timings) {}

    private final Settings settings;
    private final LogDigest digest;
    private final ServerHealth health;
    private final List<Consumer<RuntimeState>> listeners = new CopyOnWriteArrayList<>();
    private volatile RuntimeState state = RuntimeState.STARTING;
    private volatile String reason = "not started";
    private volatile Instant since = Instant.now();
    private volatile Process process;
    private volatile int restarts;
    /** The command the server runs with now: the configured one, or the one it was switched to. */
    private volatile List<String> command;
    /** A command to switch to, once the running server has stopped. */
    private volatile List<String> switchTo;
    private volatile int switches;
    private volatile boolean running;
    private Thread loop;

    public RuntimeSupervisor(Settings settings) {
        this.settings = settings;
        this.health = new ServerHealth(settings.serverUrl());
        this.command = settings.command();
        this.digest = new LogDigest(settings.logLines());
    }

    /** Called with every new state, from the supervisor's thread. */
    public void onState(Consumer<RuntimeState> listener) {
        listeners.add(listener);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = Thread.ofPlatform().name("runtime-supervisor").daemon().start(this::supervise);
    }

    public Status status() {
        Process p = process;
        return new Status(state, reason, since, p == null || !p.isAlive() ? null : p.pid(), restarts, digest.tail(),
                digest.buffersMiB(), digest.cacheMisses(), digest.timings());
    }

    public Settings settings() {
        return settings;
    }

    public RuntimeState state() {
        return state;
    }

    /** The command the server runs with now (empty when attached). */
    public List<String> command() {
        return command;
    }

    /** How many times the server was switched to another command; a switch is not a restart. */
    public int switches() {
        return switches;
    }

    /**
     * Runs the server with another command from now on (another model, say): the running one is stopped
     * and the new one started at once, without the backoff of a restart; {@link #switches()} counts it once
     * it is launched, and the state says when it is READY.
     *
     * @throws IllegalStateException when grandpa attaches to a server it does not run
     */
    public void switchTo(List<String> next) {
        if (settings.attached()) {
            throw new IllegalStateException("grandpa attaches to a model server it does not run: it cannot switch it");
        }
        if (next.isEmpty()) {
            throw new IllegalArgumentException("a model server's command cannot be empty");
        }
        switchTo = List.copyOf(next);
        stopProcess();
    }

    @Override
    public void close() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        stopProcess();
        if (loop != null) {
            try {
                loop.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        set(RuntimeState.STOPPED, "stopped with the service");
    }

    private void supervise() {
        Duration backoff = settings.minBackoff();
        while (running) {
            try {
                if (settings.attached()) {
                    watch();
                    sleep(settings.pollInterval());
                    continue;
                }
                launch();
                if (awaitReady()) {
                    backoff = settings.minBackoff();
                    watchUntilDead();
                }
                if (!running) {
                    return;
                }
                stopProcess();
                if (switchTo != null) { // stopped to switch, as asked: no restart, no backoff
                    backoff = settings.minBackoff();
                    continue;
                }
                restarts++;
                if (state != RuntimeState.DOWN) {
                    set(RuntimeState.RESTARTING, reason + "; starting again in " + backoff.toSeconds() + " s");
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                        : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Attached: the state is whatever the server's health says. */
    private void watch() throws InterruptedException {
        int status = health.status();
        switch (status) {
            case 200 -> set(RuntimeState.READY, "answering at " + settings.serverUrl());
            case 503 -> set(RuntimeState.LOADING, "loading the model");
            case -1 -> set(RuntimeState.DOWN, "no answer from " + settings.serverUrl());
            default -> set(RuntimeState.DOWN, "health answered " + status);
        }
    }

    private void launch() {
        List<String> pending = switchTo; // asked for while the server was down or starting too
        List<String> now = pending != null ? pending : command;
        set(RuntimeState.STARTING, "starting " + now.getFirst());
        if (pending != null) { // counted once STARTING: whoever waits for READY after the switch sees this start's
            switchTo = null;
            command = pending;
            switches++;
        }
        digest.restarted();
        try {
            Process p = new ProcessBuilder(now).redirectErrorStream(true).start();
            process = p;
            Thread.ofVirtual().start(() -> ServerProcess.pump(p, digest));
            log.info("Started the grandpa model server (pid {}): {}", p.pid(), String.join(" ", now));
        } catch (IOException e) {
            set(RuntimeState.DOWN, "cannot start " + now.getFirst() + ": " + e.getMessage());
        }
    }

    private boolean awaitReady() throws InterruptedException {
        long start = System.nanoTime();
        while (running) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                if (state != RuntimeState.DOWN) {
                    set(RuntimeState.DOWN, p == null ? reason : "exited with status " + p.exitValue() + " while starting");
                }
                return false;
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            int answered = health.status();
            if (answered == 200) {
                set(RuntimeState.READY, "ready after " + waited.toSeconds() + " s");
                return true;
            }
            if (waited.compareTo(settings.readyTimeout()) > 0) {
                set(RuntimeState.DOWN, "not ready after " + settings.readyTimeout().toSeconds() + " s; last log line: "
                        + digest.tail().stream().reduce((a, b) -> b).orElse("(none)"));
                return false;
            }
            if (answered == 503) {
                setQuietly(RuntimeState.LOADING, "loading the model for " + waited.toSeconds() + " s");
            }
            sleep(settings.pollInterval());
        }
        return false;
    }

    private void watchUntilDead() throws InterruptedException {
        int failures = 0;
        while (running) {
            Process p = process;
            if (!p.isAlive()) {
                reason = "exited with status " + p.exitValue();
                log.warn("The grandpa model server {}", reason);
                return;
            }
            int answered = health.status();
            failures = answered == 200 ? 0 : failures + 1;
            if (failures >= 3) {
                reason = "stopped answering /health";
                return;
            }
            sleep(settings.pollInterval());
        }
    }

    private void stopProcess() {
        ServerProcess.stop(process);
    }

    private void set(RuntimeState next, String why) {
        boolean changed = next != state;
        state = next;
        reason = why;
        if (changed) {
            since = Instant.now();
            log.info("grandpa model server: {} ({})", next, why);
            listeners.forEach(l -> l.accept(next));
        }
    }

    /** Updates the reason without logging each progress tick. */
    private void setQuietly(RuntimeState next, String why) {
        if (next != state) {
            set(next, why);
        } else {
            reason = why;
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }
}
