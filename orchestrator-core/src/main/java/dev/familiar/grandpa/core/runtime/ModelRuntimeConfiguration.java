package dev.familiar.grandpa.core.runtime;

import dev.familiar.grandpa.core.context.ContextSettings;
import dev.familiar.grandpa.core.context.LookupTools;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.resident.ModelQueue;
import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.core.resident.SessionPool;
import dev.familiar.grandpa.core.resident.StoredSessionMemory;
import dev.familiar.grandpa.runtime.placement.PlanCheck;
import dev.familiar.grandpa.runtime.session.ResidentSession;
import dev.familiar.grandpa.runtime.supervise.RuntimeState;
import dev.familiar.grandpa.runtime.supervise.RuntimeSupervisor;
import dev.familiar.grandpa.store.session.SessionRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.URI;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * grandpa's model: the server it runs (planned, started, supervised), the sessions that call it (one per
 * slot), the queue of grandpa's work, and what happens when the server is ready (a warm-up the first time,
 * the sessions' slots restored after a restart, waiting tasks looked at).
 */
@Configuration(proxyBeanMethods = false)
class ModelRuntimeConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ModelRuntimeConfiguration.class);

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
    RuntimeCommands.Resolved runtimeCommand(RuntimeProperties runtime, ModelSettings model) {
        return RuntimeCommands.resolve(runtime, model);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    RuntimeSupervisor runtimeSupervisor(RuntimeProperties runtime, ModelSettings model, RuntimeCommands.Resolved command) {
        String url = runtime.serverUrl() != null && !runtime.serverUrl().isBlank() ? runtime.serverUrl()
                : model.baseUrl().replaceAll("/v1/?$", "");
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
    SessionPool grandpaSessions(ModelSettings model, RuntimeSupervisor supervisor, TaskLedger ledger,
                                JdbcClient jdbc, RestartsCaughtUp restarts, ContextSettings context) {
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
        return new SessionPool(model.sessionSlots().stream().map(slot -> new ResidentSession(model.session(slot),
                new StoredSessionMemory(repository, model.baseUrl() + "#slot" + slot), notReady, ledger::modelCall,
                ledger::modelProgress, LookupTools.of(context))).toList());
    }

    @Bean(destroyMethod = "close")
    ModelQueue modelQueue(SessionPool sessions) {
        return new ModelQueue(sessions.sessions().size());
    }

    /**
     * When the model's server is ready: the first time, the sessions warm its cache up; after a restart, each
     * session's slot is restored before its next call (told by the server's restart count, not by which READY
     * this listener happened to see: the first may come before it is registered, and is then taken here).
     * Tasks that wait for the model are looked at at once.
     */
    @Bean
    ApplicationRunner resumeWhenTheModelIsReady(RuntimeSupervisor supervisor, TaskLedger ledger, SessionPool model,
                                                RestartsCaughtUp restarts, RuntimeCommands.Resolved command) {
        Consumer<RuntimeState> ready = state -> {
            if (state != RuntimeState.READY) {
                return;
            }
            command.checkedAgainst(supervisor).stream().filter(PlanCheck::warning) // what it allocated, against the plan
                    .forEach(c -> log.warn("The model server allocated {} MiB on {}, {} % off the {} MiB planned",
                            Math.round(c.loggedMiB()), c.device(), Math.round(c.differencePercent()),
                            Math.round(c.plannedMiB())));
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
}
