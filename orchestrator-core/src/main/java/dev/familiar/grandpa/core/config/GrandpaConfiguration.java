package dev.familiar.grandpa.core.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.familiar.grandpa.core.engine.EngineMetrics;
import dev.familiar.grandpa.core.engine.RecoveryLadder;
import dev.familiar.grandpa.core.engine.TaskEngine;
import dev.familiar.grandpa.core.engine.TaskLedger;
import dev.familiar.grandpa.core.engine.TaskWorker;
import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.familiar.grandpa.core.grandpa.GrandpaModel;
import dev.familiar.grandpa.core.planning.Planner;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.task.TaskRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the modules together: the store, the delegation layer, grandpa's model and the engine. */
@Configuration(proxyBeanMethods = false)
public class GrandpaConfiguration {

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
    BackendRegistry backendRegistry(GrandpaProperties properties) {
        return new BackendRegistry(properties.backends().stream().map(GrandpaProperties.Backend::toSpec).toList());
    }

    @Bean
    Router router(BackendRegistry registry) {
        return new Router(registry);
    }

    @Bean
    GrandpaModel grandpaModel(GrandpaProperties properties) {
        return new GrandpaModel(properties.model());
    }

    @Bean
    EngineMetrics engineMetrics(MeterRegistry registry) {
        return new EngineMetrics(registry);
    }

    @Bean
    TaskLedger taskLedger(TransactionTemplate tx, TaskRepository tasks, PlanRepository plans, AttemptRepository attempts,
                          RecoveryRepository recoveries, EventLog events, ObjectProvider<Scheduler> scheduler,
                          EngineMetrics metrics) {
        return new TaskLedger(tx, tasks, plans, attempts, recoveries, events, scheduler::getObject, metrics);
    }

    @Bean
    TaskEngine taskEngine(GrandpaProperties properties, TaskRepository tasks, PlanRepository plans,
                          AttemptRepository attempts, RecoveryRepository recoveries, TaskLedger ledger,
                          GrandpaModel grandpa, BackendRegistry registry, Router router) {
        var engine = properties.engine();
        return new TaskEngine(tasks, plans, attempts, recoveries, ledger,
                new Planner(grandpa, engine.maxSubtasks(), engine.planAttempts()),
                new Evaluator(grandpa), grandpa, registry, router,
                new RecoveryLadder(engine.retriesWithFeedback()), engine.replans(), engine.modelRetryInterval());
    }

    @Bean
    CustomTask<Void> taskWorker(TaskEngine engine, TaskRepository tasks) {
        return TaskWorker.definition(engine, tasks);
    }
}
