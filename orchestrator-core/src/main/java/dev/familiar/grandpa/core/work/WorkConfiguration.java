package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.attempt.AttemptRunner;
import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.engine.NextStep;
import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.familiar.grandpa.core.evaluation.FirstJudge;
import dev.familiar.grandpa.core.evaluation.FirstJudgeSettings;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.integration.Integrator;
import dev.familiar.grandpa.core.ledger.AttemptLedger;
import dev.familiar.grandpa.core.ledger.Stores;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.planning.Planner;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.core.resident.ModelQueue;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.runtime.session.GrandpaModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** The task worker (the executor), the decider it asks, what it reads a task's state from, and its jobs. */
@Configuration(proxyBeanMethods = false)
class WorkConfiguration {
    @Bean(destroyMethod = "close")
    JobGate jobGate() {
        return new JobGate();
    }

    @Bean
    Planner planner(EngineSettings engine, GrandpaModel grandpa) {
        return new Planner(grandpa, engine.maxSubtasks(), engine.planAttempts());
    }

    @Bean
    FirstJudge firstJudge(FirstJudgeSettings settings, Router router, EventJournal events, Clock clock, JobGate gate) {
        return new FirstJudge(settings, router, events, clock, gate.io());
    }

    @Bean
    PlanJob planJob(JobGate gate, TaskLedger ledger, TaskContext context, Planner planner, ModelQueue queue,
                    Repositories repositories, TaskBranches branches, BackendRegistry registry) {
        return new PlanJob(gate, ledger, context, planner, queue, repositories, branches, registry);
    }

    @Bean
    JudgeJob judgeJob(JobGate gate, AttemptLedger attempts, GrandpaModel grandpa, FirstJudge firstJudge, ModelQueue queue,
                      TaskBranches branches) {
        return new JudgeJob(gate, attempts, new Evaluator(grandpa), firstJudge, queue, branches);
    }

    @Bean
    Jobs jobs(JobGate gate, PlanJob plans, JudgeJob judgements, Integrator integrator, AttemptRunner runner,
              TaskLedger ledger, ModelQueue queue) {
        return new Jobs(gate, plans, judgements, integrator, runner, ledger, queue);
    }

    @Bean
    StateReader stateReader(Stores stores, BackendRegistry registry) {
        return new StateReader(stores.tasks(), stores.plans(), stores.attempts(), stores.recoveries(), registry,
                stores.checks(), stores.workspaces());
    }

    @Bean
    NextStep nextStep(EngineSettings engine) {
        return new NextStep(new NextStep.Rules(engine.retriesWithFeedback(), engine.replans(), engine.maxStepFailures(),
                engine.modelRetryInterval()));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @DependsOn("backendCatalog")
    TaskWorker taskWorker(EngineSettings engine, Stores stores, StateReader reader, NextStep next, TaskLedger ledger,
                          Router router, Jobs jobs, Clock clock) {
        return new TaskWorker(engine, stores.claims(), reader, next, ledger, router, jobs, clock);
    }

    @Bean
    MeterBinder heldTasks(TaskWorker worker) {
        return meters -> Gauge.builder("grandpa.tasks.held", worker, TaskWorker::held)
                .description("tasks this instance holds a claim on (in flight here)").register(meters);
    }
}
