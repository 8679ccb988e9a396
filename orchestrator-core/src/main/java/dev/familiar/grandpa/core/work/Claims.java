package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.store.claim.ClaimRepository;
import java.net.InetAddress;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's claims on tasks: takes those that are due (or whose holder died), renews the ones
 * it holds, and gives them back when it stops. Runs on the worker's timer thread.
 */
final class Claims {
    private static final Logger log = LoggerFactory.getLogger(Claims.class);
    private static final int BATCH = 100;

    private final ClaimRepository repository;
    private final EngineSettings settings;
    private final TaskWorker worker;
    private final String name;

    Claims(ClaimRepository repository, EngineSettings settings, TaskWorker worker) {
        this.repository = repository;
        this.settings = settings;
        this.worker = worker;
        this.name = settings.workerName() != null && !settings.workerName().isBlank() ? settings.workerName() : defaultName();
    }

    String worker() {
        return name;
    }

    void take() {
        if (worker.closing()) {
            return; // a stopping instance takes no new work
        }
        try {
            var claimed = repository.claim(name, settings.claimFor(), BATCH);
            claimed.forEach(worker::claimed);
            if (claimed.size() == BATCH) {
                worker.lookSoon(); // more may be due
            }
        } catch (RuntimeException e) {
            log.warn("Could not look for tasks to work: {}", e.getMessage());
        }
    }

    void renew() {
        try {
            worker.keepOnly(repository.renew(name, settings.claimFor()));
        } catch (RuntimeException e) {
            log.warn("Could not renew this instance's claims: {}", e.getMessage());
        }
    }

    boolean holds(UUID taskId) {
        return repository.holds(taskId, name);
    }

    void dueAt(UUID taskId, Instant at) {
        repository.dueAt(taskId, name, at);
    }

    boolean release(UUID taskId) {
        return repository.release(taskId, name) || !repository.holds(taskId, name);
    }

    void releaseAll() {
        try {
            repository.releaseAll(name);
        } catch (RuntimeException e) {
            log.warn("Could not hand this instance's claims back; they are taken over when they expire: {}", e.getMessage());
        }
    }

    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "grandpa";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
