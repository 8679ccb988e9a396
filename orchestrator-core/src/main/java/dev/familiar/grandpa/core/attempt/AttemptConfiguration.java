package dev.familiar.grandpa.core.attempt;

import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.ledger.AttemptLedger;
import dev.familiar.grandpa.core.ledger.BranchLedger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One coder call for a subtask, in its worktree where the task has a repository. */
@Configuration(proxyBeanMethods = false)
class AttemptConfiguration {
    @Bean
    AttemptRunner attemptRunner(AttemptLedger attempts, BranchLedger branches, TaskContext context, AttemptWorktrees worktrees) {
        return new AttemptRunner(attempts, branches, context, worktrees);
    }
}
