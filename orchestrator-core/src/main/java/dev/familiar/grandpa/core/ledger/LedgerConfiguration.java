package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.claim.ClaimRepository;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.stats.StatsRepository;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The ledgers, the repositories they write through, and what they count. */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {
    @Bean
    Stores stores(TaskRepository tasks, PlanRepository plans, AttemptRepository attempts, RecoveryRepository recoveries,
                  ClaimRepository claims, WorkspaceRepository workspaces, CheckRepository checks, StatsRepository history) {
        return new Stores(tasks, plans, attempts, recoveries, claims, workspaces, checks, history);
    }

    @Bean
    TaskMetrics taskMetrics(MeterRegistry registry, BackendRegistry backends) {
        return new TaskMetrics(registry, name -> backends.find(name).map(b -> b.spec().model()).orElse(name));
    }

    @Bean
    TaskGauges taskGauges(TaskRepository tasks) {
        return new TaskGauges(tasks);
    }

    @Bean
    TaskLedger taskLedger(TransactionTemplate tx, Stores stores, EventJournal events, TaskMetrics metrics) {
        return new TaskLedger(tx, stores, events, metrics);
    }

    @Bean
    AttemptLedger attemptLedger(TransactionTemplate tx, Stores stores, EventJournal events, TaskMetrics metrics) {
        return new AttemptLedger(tx, stores, events, metrics);
    }

    @Bean
    BranchLedger branchLedger(TransactionTemplate tx, Stores stores, EventJournal events) {
        return new BranchLedger(tx, stores, events);
    }
}
