package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.core.backends.BackendCatalog;
import dev.familiar.grandpa.core.evaluation.FirstJudge;
import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.core.resident.SessionPool;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.runtime.supervise.RuntimeState;
import dev.familiar.grandpa.runtime.supervise.RuntimeSupervisor;
import dev.familiar.grandpa.store.backend.BackendRecord;
import dev.familiar.grandpa.store.eval.EvalRun;
import dev.familiar.grandpa.store.eval.EvalStore;
import dev.familiar.grandpa.store.jdbc.JsonColumns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the service into a bake-off setup and back: the model server grandpa runs switched to the setup's
 * command (stopped, the other started, READY, warmed up: the sessions start over under the model's name),
 * the coder backends it leaves out drained (recorded on the run, so a crash never keeps them), the first
 * judge suspended where it says so. Without setups nothing here ever acts.
 */
final class SetupSwitch {
    private static final Logger log = LoggerFactory.getLogger(SetupSwitch.class);

    private final Map<String, EvalSettings.Setup> setups;
    private final RuntimeSupervisor supervisor;
    private final SessionPool sessions;
    private final ModelSettings model;
    private final BackendCatalog backends;
    private final FirstJudge firstJudge;
    private final EvalStore store;
    private final BackendRegistry registry;
    /** The setup the service is in: null as configured. */
    private volatile String current;
    /** The run whose setup drained backends, to give them back when the service leaves it. */
    private volatile UUID drainedFor;

    SetupSwitch(Map<String, EvalSettings.Setup> setups, RuntimeSupervisor supervisor, SessionPool sessions, ModelSettings model,
                BackendCatalog backends, BackendRegistry registry, FirstJudge firstJudge, EvalStore store) {
        this.registry = registry;
        this.setups = setups;
        this.supervisor = supervisor;
        this.sessions = sessions;
        this.model = model;
        this.backends = backends;
        this.firstJudge = firstJudge;
        this.store = store;
    }

    String current() {
        return current;
    }

    /** Why a run cannot be made under this setup, if it cannot. */
    Optional<String> problem(String name) {
        EvalSettings.Setup setup = setups.get(name);
        if (setup == null) {
            return Optional.of("no setup named '" + name + "'; setups: " + (setups.isEmpty() ? "none (grandpa.evals.setups)"
                    : String.join(", ", setups.keySet())));
        }
        if (!setup.command().isEmpty() && supervisor.settings().attached()) {
            return Optional.of("setup '" + name + "' runs another model server, but grandpa attaches to one it does not run "
                    + "(grandpa.runtime.command or grandpa.runtime.launch)");
        }
        var unknown = setup.backends().stream().filter(b -> backends.find(b).isEmpty()).toList();
        return unknown.isEmpty() ? Optional.empty() : Optional.of("setup '" + name + "' names backends that are not known: "
                + unknown);
    }

    /** Gives back what runs drained before a crash let them. */
    void giveBackLeftovers() {
        for (UUID run : store.holdingDrained()) {
            undrain(run);
        }
    }

    /**
     * Puts the service into the setup (null: as configured) for these runs; returns once the model server is
     * READY again.
     *
     * @throws IllegalStateException when the model server was not READY in time (tried again at the next look)
     */
    void switchTo(String name, List<EvalRun> runs) {
        EvalSettings.Setup setup = name == null ? null : setups.get(name);
        if (name != null && setup == null) {
            throw new IllegalStateException("setup '" + name + "' is no longer configured (grandpa.evals.setups)");
        }
        log.info("bake-off: switching to {}", name == null ? "the configuration" : "setup " + name);
        List<String> command = setup == null || setup.command().isEmpty() ? supervisor.settings().command() : setup.command();
        if (!supervisor.settings().attached() && !command.equals(supervisor.command())) {
            String served = setup == null || setup.command().isEmpty() ? model.name()
                    : Objects.requireNonNullElse(setup.modelName(), name);
            sessions.startOverServing(served);
            int before = supervisor.switches();
            supervisor.switchTo(command);
            awaitReady(before);
        }
        if (drainedFor != null) {
            undrain(drainedFor);
            drainedFor = null;
        }
        EvalRun first = runs.stream().filter(r -> Objects.equals(r.setup(), name)).findFirst().orElse(null);
        if (setup != null && !setup.backends().isEmpty() && first != null) {
            drain(first.id(), setup.backends());
            drainedFor = first.id();
        }
        firstJudge.suspend(setup != null && Boolean.FALSE.equals(setup.firstJudge()));
        current = name;
        if (setup != null) { // the models its runs work on, asked now that the service is in it
            var models = RunModels.ask(setup.command().isEmpty() ? model.name()
                    : Objects.requireNonNullElse(setup.modelName(), name), model.baseUrl(), registry,
                    b -> setup.backends().isEmpty() || setup.backends().contains(b));
            runs.stream().filter(r -> name.equals(r.setup()))
                    .forEach(r -> store.setModels(r.id(), JsonColumns.write(models.described()), models.anyStandIn()));
        }
    }

    private void drain(UUID run, List<String> kept) {
        var drained = new LinkedHashSet<>(store.drained(run)); // after a restart: what it drained before
        for (BackendRecord b : backends.all()) {
            if (!kept.contains(b.name()) && !b.draining() && !drained.contains(b.name())) {
                drained.add(b.name());
                store.setDrained(run, new ArrayList<>(drained)); // recorded before it is done: never kept by a crash
                backends.setFlags(b.name(), b.enabled(), true);
            }
        }
    }

    private void undrain(UUID run) {
        for (String name : store.drained(run)) {
            backends.find(name).ifPresent(b -> backends.setFlags(name, b.enabled(), false));
        }
        store.setDrained(run, List.of());
    }

    private void awaitReady(int switchesBefore) {
        Duration limit = supervisor.settings().readyTimeout().plusMinutes(1);
        Instant until = Instant.now().plus(limit);
        while (supervisor.switches() == switchesBefore || supervisor.state() != RuntimeState.READY) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("the model server was not READY " + limit.toSeconds() + " s after switching: "
                        + supervisor.status().reason());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while switching the model server", e);
            }
        }
    }
}
