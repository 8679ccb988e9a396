package dev.familiar.grandpa.core.retention;

import dev.familiar.grandpa.core.repository.WorkspaceSettings;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.store.retention.RetentionRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Pruning of finished tasks, relayed output and failed attempts' worktrees. */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {
    @Bean(initMethod = "start", destroyMethod = "close")
    Retention retention(JdbcClient jdbc, RetentionSettings settings, TransactionTemplate tx, Workspaces workspaces,
                        WorkspaceSettings workspaceSettings) {
        return new Retention(new RetentionRepository(jdbc), settings, tx,
                () -> workspaces.sweep(workspaceSettings.keepFailedFor()));
    }
}
