package dev.familiar.grandpa.core.integration;

import dev.familiar.grandpa.core.ledger.BranchLedger;
import dev.familiar.grandpa.core.repository.ChangeChecks;
import dev.familiar.grandpa.core.repository.PullRequests;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.runtime.session.GrandpaModel;
import dev.familiar.grandpa.store.check.CheckRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Putting a task's accepted work together: the acceptance check, the summary, the push. */
@Configuration(proxyBeanMethods = false)
class IntegrationConfiguration {
    @Bean
    Integrator integrator(GrandpaModel grandpa, Repositories repositories, TaskBranches branches, ChangeChecks checks,
                          CheckRepository storedChecks, PullRequests pullRequests, BranchLedger ledger) {
        return new Integrator(grandpa, repositories, branches, checks, storedChecks, pullRequests, ledger);
    }
}
