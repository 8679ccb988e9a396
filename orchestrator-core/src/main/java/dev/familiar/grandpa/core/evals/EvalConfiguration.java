package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.core.backends.BackendCatalog;
import dev.familiar.grandpa.core.evaluation.FirstJudge;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.repository.ChangeChecks;
import dev.familiar.grandpa.core.repository.WorkspaceSettings;
import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.core.resident.SessionPool;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.runtime.supervise.RuntimeSupervisor;
import dev.familiar.grandpa.store.eval.EvalStore;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import dev.familiar.grandpa.workspace.git.Git;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The bake-off: suites from the configured folders, runs stored and worked in the background, their door. */
@Configuration(proxyBeanMethods = false)
class EvalConfiguration {
    @Bean
    EvalStore evalStore(JdbcClient jdbc) {
        return new EvalStore(jdbc);
    }

    @Bean
    SuiteFolders suiteFolders(EvalSettings settings) {
        return new SuiteFolders(settings.suites());
    }

    @Bean
    CaseRepositories caseRepositories(EvalStore store, SuiteFolders folders, EvalSettings settings, WorkspaceSettings workspaces) {
        return new CaseRepositories(store, folders, settings.dir(), new Git(workspaces.gitTimeout()));
    }

    @Bean
    SetupSwitch setupSwitch(EvalSettings settings, RuntimeSupervisor supervisor, SessionPool sessions, ModelSettings model,
                            BackendCatalog backends, BackendRegistry registry, FirstJudge firstJudge, EvalStore store) {
        return new SetupSwitch(settings.setups(), supervisor, sessions, model, backends, registry, firstJudge, store);
    }

    @Bean
    HeldOutCheck heldOutCheck(Workspaces workspaces, ChangeChecks checks) {
        return new HeldOutCheck(workspaces, checks);
    }

    @Bean
    CaseOutcomes caseOutcomes(EvalStore store, CaseRepositories repositories, HeldOutCheck heldOut, TaskLedger ledger,
                              TaskRepository tasks, WorkspaceRepository branches, BackendRegistry backends,
                              EvalSettings settings) {
        return new CaseOutcomes(store, repositories, heldOut, ledger, tasks, branches, backends, settings.caseTimeout());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    EvalRunner evalRunner(EvalStore store, SuiteFolders folders, CaseRepositories repositories, CaseOutcomes outcomes,
                          TaskLedger ledger, EvalSettings settings, SetupSwitch setups) {
        return new EvalRunner(store, folders, repositories, outcomes, ledger, settings, setups);
    }

    @Bean
    EvalRuns evalRuns(EvalStore store, SuiteFolders folders, EvalRunner runner, EvalSettings settings, ModelSettings model,
                      BackendRegistry backends, TransactionTemplate tx, SetupSwitch setups) {
        return new EvalRuns(store, folders, runner, settings, model, backends, tx, setups);
    }
}
