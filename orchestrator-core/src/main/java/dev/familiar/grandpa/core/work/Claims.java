package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.store.claim.ClaimRepository;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's claims on tasks: takes those that are due (or whose holder died), renews the ones
 * it holds, and gives them back when it stops. It answers the worker and calls nothing of it.
 */
final class Claims {
    private static final Logger log = LoggerFactory.getLogger(Claims.class);
    /** The most tasks one look takes; a look that takes as many looks again at once. */
    static final int BATCH = 100;

    private final ClaimRepository repository;
    private final EngineSettings settings;
    private final String name;

    Claims(ClaimRepository repository, EngineSettings settings) {
        this.repository = repository;
        this.settings = settings;
        this.name = settings.workerName() != null && !settings.workerName().isBlank() ? settings.workerName() : defaultName();
    }

    String worker() {
        return name;
    }

    /** Claims the tasks that are due now, at most {@link #BATCH}; none when the database cannot be asked. */
    List<UUID> take() {
        try {
            return repository.claim(name, settings.claimFor(), BATCH);
        } catch (RuntimeException e) {
            log.warn("Could not look for tasks to work: {}", e.getMessage());
            return List.of();
        }
    }

    /** Renews this instance's claims; answers the tasks it still holds, or empty when it cannot say. */
    Optional<Set<UUID>> renew() {
        try {
            return Optional.of(repository.renew(name, settings.claimFor()));
        } catch (RuntimeException e) {
            log.warn("Could not renew this instance's claims: {}", e.getMessage());
            return Optional.empty();
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
