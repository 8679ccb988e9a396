package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.store.eval.EvalCaseStatus;
import dev.familiar.grandpa.store.eval.EvalResult;
import dev.familiar.grandpa.store.eval.EvalRun;
import dev.familiar.grandpa.store.eval.EvalRunStatus;
import dev.familiar.grandpa.store.eval.EvalStore;
import dev.familiar.grandpa.store.task.NewTask;
import dev.familiar.grandpa.store.task.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves running bake-off runs on, from what is stored alone (so a restart picks them up where they were):
 * each case becomes a task in its own repository, a bounded number at a time; what became of it is
 * {@link CaseOutcomes}'; a run whose cases have all ended is finished. Submissions carry a key per case and try, so a crash between submitting and
 * recording the task makes no second task.
 */
final class EvalRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EvalRunner.class);

    private final EvalStore store;
    private final SuiteFolders folders;
    private final CaseRepositories repositories;
    private final CaseOutcomes outcomes;
    private final TaskLedger ledger;
    private final EvalSettings settings;
    private final SetupSwitch setups;
    /** One step at a time in this instance: advancing, cancelling and resuming never cross. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Thread loop;

    EvalRunner(EvalStore store, SuiteFolders folders, CaseRepositories repositories, CaseOutcomes outcomes, TaskLedger ledger,
               EvalSettings settings, SetupSwitch setups) {
        this.store = store;
        this.folders = folders;
        this.repositories = repositories;
        this.outcomes = outcomes;
        this.ledger = ledger;
        this.settings = settings;
        this.setups = setups;
    }

    void start() {
        setups.giveBackLeftovers();
        loop = Thread.ofVirtual().name("evals").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                advanceAll();
                try {
                    Thread.sleep(settings.pollInterval());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * One look at every running run. The earliest decides the setup the service is in: once no case is in
     * flight the service switches to it (and back to the configuration when none is left); runs of another
     * setup only finish the cases they have in flight meanwhile.
     */
    void advanceAll() {
        List<EvalRun> running = store.running();
        String wanted = running.isEmpty() ? null : running.getFirst().setup();
        // cases of the wanted setup in flight (after a restart) do not hold the switch up: they were working under it
        if (!Objects.equals(setups.current(), wanted) && store.casesInFlightOutside(wanted) == 0) {
            try {
                setups.switchTo(wanted, running);
            } catch (RuntimeException e) {
                log.warn("bake-off: could not switch to {} now: {}", wanted == null ? "the configuration" : "setup " + wanted,
                        e.getMessage());
            }
        }
        boolean settled = Objects.equals(setups.current(), wanted);
        for (EvalRun run : running) {
            lock.lock();
            try {
                advance(run, settled && Objects.equals(run.setup(), wanted));
            } catch (RuntimeException e) {
                log.warn("bake-off run {} could not be moved on now: {}", run.label(), e.toString());
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops the run: its cases' tasks are cancelled, and those cases wait for new tasks if it is resumed. */
    Optional<String> cancel(EvalRun run) {
        lock.lock();
        try {
            if (!store.setStatus(run.id(), EvalRunStatus.RUNNING, EvalRunStatus.CANCELLED)) {
                return Optional.of("run " + run.label() + " is not running");
            }
            for (EvalResult r : store.results(run.id())) {
                if (r.status() == EvalCaseStatus.RUNNING) {
                    store.pendingAgain(run.id(), r.caseId(), r.repetition());
                    ledger.cancel(r.taskId(), "its bake-off run " + run.label() + " was cancelled");
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Goes on with a cancelled run: the cases without an outcome get new tasks. */
    Optional<String> resume(EvalRun run) {
        lock.lock();
        try {
            return store.setStatus(run.id(), EvalRunStatus.CANCELLED, EvalRunStatus.RUNNING) ? Optional.empty()
                    : Optional.of("run " + run.label() + " is not cancelled (it is " + run.status() + ")");
        } finally {
            lock.unlock();
        }
    }

    /** @param mayStart whether new cases may be given tasks (the service is in the run's setup) */
    private void advance(EvalRun run, boolean mayStart) {
        if (!folders.configured(Path.of(run.suiteFolder()))) { // its checks are commands: only from configured folders
            throw new IllegalStateException("its suite's folder " + run.suiteFolder() + " is no longer among "
                    + "grandpa.evals.suites");
        }
        Suite suite = Suite.load(Path.of(run.suiteFolder()));
        Map<String, Suite.Case> cases = suite.cases().stream().collect(Collectors.toMap(Suite.Case::id, c -> c));
        List<EvalResult> results = store.results(run.id());
        int working = 0;
        for (EvalResult r : results) {
            if (r.status() == EvalCaseStatus.RUNNING && !outcomes.look(run, cases.get(r.caseId()), r)) {
                working++;
            }
        }
        for (EvalResult r : results) {
            if (mayStart && r.status() == EvalCaseStatus.PENDING && working < run.parallel()) {
                submit(run, cases.get(r.caseId()), r);
                working++;
            }
        }
        if (store.results(run.id()).stream().allMatch(EvalResult::ended)
                && store.setStatus(run.id(), EvalRunStatus.RUNNING, EvalRunStatus.FINISHED)) {
            log.info("bake-off run {} finished", run.label());
        }
    }

    private void submit(EvalRun run, Suite.Case c, EvalResult r) {
        if (c == null) {
            throw new IllegalStateException("suite " + run.suite() + " no longer has the case " + r.caseId());
        }
        repositories.make(run.id(), c);
        int tries = r.tries() + 1;
        String key = "eval:" + run.id() + ":" + c.id() + ":" + r.repetition() + ":" + tries;
        String title = c.id() + (run.repeats() > 1 ? " #" + (r.repetition() + 1) : "");
        Task task = ledger.accept(new NewTask(title, c.goal(), CaseRepositories.name(run.id(), c.id()),
                List.of("eval:" + run.label()), 0, c.acceptance(), key, null)).task();
        store.started(run.id(), c.id(), r.repetition(), tries, task.id());
    }

    @Override
    public void close() {
        Thread running = loop;
        if (running != null) {
            running.interrupt();
        }
    }
}
