package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.claim.ClaimRepository;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.stats.StatsRepository;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;

/** The repositories the ledgers write through, handed to them together. */
public record Stores(TaskRepository tasks, PlanRepository plans, AttemptRepository attempts, RecoveryRepository recoveries,
                     ClaimRepository claims, WorkspaceRepository workspaces, CheckRepository checks, StatsRepository history) {}
