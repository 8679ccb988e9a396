package dev.familiar.grandpa.core.config;

import dev.familiar.grandpa.context.ContextBroker;
import dev.familiar.grandpa.context.McpContextSource;
import dev.familiar.grandpa.core.attempt.AttemptRunner;
import dev.familiar.grandpa.core.backends.BackendCatalog;
import dev.familiar.grandpa.core.backends.BackendMeters;
import dev.familiar.grandpa.core.backends.BackendSettings;
import dev.familiar.grandpa.core.backends.BackendUpkeep;
import dev.familiar.grandpa.core.backends.RecordedOutcomes;
import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.grandpa.GrandpaModel;
import dev.familiar.grandpa.core.grandpa.ModelQueue;
import dev.familiar.grandpa.core.grandpa.ResidentSession;
import dev.familiar.grandpa.core.grandpa.SessionPool;
import dev.familiar.grandpa.core.grandpa.SessionMemory;
import dev.familiar.grandpa.core.attempt.AttemptWorktrees;
import dev.familiar.grandpa.core.integration.Integrator;
import dev.familiar.grandpa.core.repository.ChangeChecks;
import dev.familiar.grandpa.core.repository.PullRequests;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.core.repository.WorkspaceSettings;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.core.ledger.AttemptLedger;
import dev.familiar.grandpa.core.ledger.BranchLedger;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.ledger.TaskMetrics;
import dev.familiar.grandpa.core.work.EngineSettings;
import dev.familiar.grandpa.core.retention.Retention;
import dev.familiar.grandpa.core.retention.RetentionSettings;
import dev.familiar.grandpa.core.runtime.RestartsCaughtUp;
import dev.familiar.grandpa.core.runtime.RuntimeCommands;
import dev.familiar.grandpa.core.runtime.RuntimeProperties;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.health.HealthProbe;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner;
import dev.familiar.grandpa.runtime.supervise.RuntimeState;
import dev.familiar.grandpa.runtime.supervise.RuntimeSupervisor;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.backend.BackendRepository;
import dev.familiar.grandpa.store.claim.ClaimRepository;
import dev.familiar.grandpa.store.context.ContextPackRepository;
import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.retention.RetentionRepository;
import dev.familiar.grandpa.store.session.SessionRepository;
import dev.familiar.grandpa.store.stats.StatsRepository;
import dev.familiar.grandpa.store.task.TaskRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the modules together: the store, the delegation layer, grandpa's model and the task worker. */
@Configuration(proxyBeanMethods = false)
class GrandpaConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TaskRepository taskRepository(JdbcClient jdbc) {
        return new TaskRepository(jdbc);
    }

    @Bean
    PlanRepository planRepository(JdbcClient jdbc) {
        return new PlanRepository(jdbc);
    }

    @Bean
    AttemptRepository attemptRepository(JdbcClient jdbc) {
        return new AttemptRepository(jdbc);
    }

    @Bean
    RecoveryRepository recoveryRepository(JdbcClient jdbc) {
        return new RecoveryRepository(jdbc);
    }

    @Bean
    EventLog eventLog(JdbcClient jdbc) {
        return new EventLog(jdbc);
    }

    @Bean
    EventJournal eventJournal(EventLog log) {
        return new EventJournal(log);
    }

    @Bean
    ClaimRepository claimRepository(JdbcClient jdbc) {
        return new ClaimRepository(jdbc);
    }

    @Bean
    BackendRepository backendRepository(JdbcClient jdbc) {
        return new BackendRepository(jdbc);
    }

    @Bean
    ContextPackRepository contextPackRepository(JdbcClient jdbc) {
        return new ContextPackRepository(jdbc);
    }

    @Bean
    BackendRegistry backendRegistry(GrandpaProperties properties) {
        return new BackendRegistry(List.of(), properties.delegation().guards());
    }

    @Bean
    BackendCatalog backendCatalog(BackendRepository repository, BackendRegistry registry, GrandpaProperties properties) {
        return new BackendCatalog(repository, registry, properties.delegation().policy(),
                properties.backends().stream().map(BackendSettings::toSpec).toList());
    }

    @Bean
    RecordedOutcomes recordedOutcomes(BackendRepository repository, GrandpaProperties properties) {
        return new RecordedOutcomes(repository, properties.delegation().historyWindow());
    }

    @Bean
    @DependsOn("backendCatalog") // the registry is filled from the stored backends before anything routes
    Router router(BackendRegistry registry, RecordedOutcomes outcomes, GrandpaProperties properties, Clock clock) {
        var delegation = properties.delegation();
        return new Router(registry, outcomes, new SchedulePlanner(properties.engine().scheduleSearchSteps()),
                delegation.exploreEvery(), delegation.exploreAfter(), clock);
    }

    @Bean(destroyMethod = "close")
    BackendUpkeep backendUpkeep(BackendCatalog catalog, BackendRegistry registry, GrandpaProperties properties,
                                MeterRegistry meters, TaskMetrics taskMetrics) {
        return new BackendUpkeep(catalog, new HealthProbe(registry), new BackendMeters(registry, meters, taskMetrics::prepare),
                properties.delegation().probeInterval());
    }

    @Bean
    StatsRepository statsRepository(JdbcClient jdbc) {
        return new StatsRepository(jdbc);
    }

    /** grandpa's model server and sessions as gauges: restarts, readiness, each session's length. */
    @Bean
    MeterBinder runtimeMeters(RuntimeSupervisor supervisor, SessionPool sessions) {
        return registry -> {
            Gauge.builder("grandpa.runtime.restarts", supervisor, s -> s.status().restarts())
                    .description("restarts of the model server grandpa runs").register(registry);
            Gauge.builder("grandpa.runtime.ready", supervisor, s -> s.state() == RuntimeState.READY ? 1 : 0)
                    .description("1 while grandpa's model server is ready").register(registry);
            for (ResidentSession session : sessions.sessions()) {
                Gauge.builder("grandpa.model.session.tokens", session, ResidentSession::sessionTokens)
                        .description("the tokens a session of grandpa's model holds in its slot (its length)")
                        .tag("slot", Integer.toString(session.slot())).register(registry);
            }
        };
    }

    /** The model server's command, planned from the model file when so configured (read once, at start). */
    @Bean
    RuntimeCommands.Resolved runtimeCommand(RuntimeProperties runtime, GrandpaProperties properties) {
        return RuntimeCommands.resolve(runtime, properties.model());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    RuntimeSupervisor runtimeSupervisor(RuntimeProperties runtime, GrandpaProperties properties,
                                        RuntimeCommands.Resolved command) {
        String url = runtime.serverUrl() != null && !runtime.serverUrl().isBlank() ? runtime.serverUrl()
                : properties.model().baseUrl().replaceAll("/v1/?$", "");
        return new RuntimeSupervisor(new RuntimeSupervisor.Settings(URI.create(url), command.command(),
                runtime.readyTimeout(), runtime.pollInterval(), runtime.minBackoff(), runtime.maxBackoff(),
                runtime.logLines()));
    }

    @Bean
    RestartsCaughtUp restartsCaughtUp() {
        return new RestartsCaughtUp();
    }

    /**
     * grandpa's model as resident sessions, one per slot it is given. When grandpa runs its model's
     * server itself, calls wait while it loads or restarts; attached, the call itself tells whether the
     * server answers.
     */
    @Bean
    SessionPool grandpaSessions(GrandpaProperties properties, RuntimeSupervisor supervisor, TaskLedger ledger,
                                JdbcClient jdbc, RestartsCaughtUp restarts) {
        var model = properties.model();
        Supplier<String> notReady = () -> {
            if (supervisor.settings().attached()) {
                return null;
            }
            var status = supervisor.status();
            if (status.state() == RuntimeState.READY) {
                return restarts.with(status.restarts()) ? null
                        : "the grandpa model server has just restarted; its sessions are being restored";
            }
            return "the grandpa model server is " + status.state() + ": " + status.reason();
        };
        var repository = new SessionRepository(jdbc);
        return new SessionPool(model.sessionSlots().stream().map(slot -> new ResidentSession(model.withSlot(slot),
                SessionMemory.stored(repository, model.baseUrl() + "#slot" + slot), notReady, ledger::modelCall,
                ledger::modelProgress)).toList());
    }

    @Bean(destroyMethod = "close")
    ModelQueue modelQueue(SessionPool sessions) {
        return new ModelQueue(sessions.sessions().size());
    }

    /** The MCP context sources, whose server processes stop with the service. */
    @Bean(destroyMethod = "close")
    ContextBroker contextBroker(GrandpaProperties properties) {
        return new ContextBroker(properties.context().stream().map(c -> new ContextBroker.Budgeted(
                new McpContextSource(c.name(), c.endpoint(System.getenv()), c.tool(), c.queryArgument(), c.timeout()),
                c.timeout(), c.maxTokens())).toList());
    }

    @Bean
    TaskContext taskContext(ContextBroker broker, ContextPackRepository packs, EventJournal events, TransactionTemplate tx) {
        return new TaskContext(broker, packs, events, tx);
    }

    /**
     * When the model's server is ready: the first time, the sessions warm its cache up; after a restart, each
     * session's slot is restored before its next call (told by the server's restart count, not by which READY
     * this listener happened to see: the first may come before it is registered, and is then taken here).
     * Tasks that wait for the model are looked at at once.
     */
    @Bean
    ApplicationRunner resumeWhenTheModelIsReady(RuntimeSupervisor supervisor, TaskLedger ledger, SessionPool model,
                                                RestartsCaughtUp restarts) {
        Consumer<RuntimeState> ready = state -> {
            if (state != RuntimeState.READY) {
                return;
            }
            int count = supervisor.status().restarts();
            if (restarts.with(count)) {
                model.warmUp();
            } else {
                model.restoreBeforeNextCall();
            }
            restarts.handled(count);
            ledger.wakeWaiting();
        };
        return args -> {
            supervisor.onState(ready);
            Thread.ofVirtual().name("model-ready").start(() -> ready.accept(supervisor.state())); // not holding up the start
        };
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    Retention retention(JdbcClient jdbc, RetentionSettings settings, TransactionTemplate tx, Workspaces workspaces,
                        WorkspaceSettings workspaceSettings) {
        return new Retention(new RetentionRepository(jdbc), settings, tx,
                () -> workspaces.sweep(workspaceSettings.keepFailedFor()));
    }

    @Bean
    Integrator integrator(GrandpaModel grandpa, Repositories repositories, TaskBranches branches, ChangeChecks checks,
                          CheckRepository storedChecks, PullRequests pullRequests, BranchLedger ledger) {
        return new Integrator(grandpa, repositories, branches, checks, storedChecks, pullRequests, ledger);
    }

    @Bean
    AttemptRunner attemptRunner(AttemptLedger attempts, BranchLedger branches, TaskContext context, AttemptWorktrees worktrees) {
        return new AttemptRunner(attempts, branches, context, worktrees);
    }

    @Bean
    EngineSettings engineSettings(GrandpaProperties properties) {
        return properties.engine();
    }
}
