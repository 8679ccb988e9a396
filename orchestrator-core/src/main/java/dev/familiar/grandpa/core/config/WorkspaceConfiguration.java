package dev.familiar.grandpa.core.config;

import dev.familiar.grandpa.core.attempt.WorktreeWork;
import dev.familiar.grandpa.core.database.DatabaseProperties;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.repository.ChangeChecks;
import dev.familiar.grandpa.core.repository.PullRequests;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.SandboxSettings;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.core.repository.WorkspaceSettings;
import dev.familiar.grandpa.core.security.SecuritySettings;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import dev.familiar.grandpa.workspace.git.Git;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.sandbox.Limits;
import dev.familiar.grandpa.workspace.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Work in repositories: the configured repositories, grandpa's checkouts of them, and the sandbox checks run in. */
@Configuration(proxyBeanMethods = false)
public class WorkspaceConfiguration {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceConfiguration.class);

    @Bean
    WorkspaceRepository workspaceRepository(JdbcClient jdbc) {
        return new WorkspaceRepository(jdbc);
    }

    @Bean
    CheckRepository checkRepository(JdbcClient jdbc) {
        return new CheckRepository(jdbc);
    }

    /**
     * The sandbox of setup commands and checks, hiding what is grandpa's from them: its data (database,
     * tokens, checkouts), the directory it runs in, and the home directory, unless told otherwise.
     */
    @Bean
    Sandbox sandbox(SandboxSettings settings, WorkspaceSettings workspaces, DatabaseProperties database,
                    SecuritySettings security) {
        var hidden = hidden(settings, workspaces, database, security);
        if (settings.hidden() == null) {
            hidden.add(Path.of(System.getProperty("user.home")));
        }
        Sandbox sandbox = Sandbox.fromPath(settings.allowUnsandboxed(), hidden);
        if (!sandbox.confined()) {
            log.warn(settings.allowUnsandboxed()
                    ? "bubblewrap (bwrap) is not installed: checks and agents in repositories run UNCONFINED"
                    : "bubblewrap (bwrap) is not installed: tasks in repositories are refused (apt-get install bubblewrap)");
        }
        return sandbox;
    }

    /**
     * The sandbox command-line agents work in: as the checks', but the home directory stays visible
     * (an agent reads its own configuration there), and the network is open (it calls its model).
     */
    static Sandbox agentSandbox(SandboxSettings settings, WorkspaceSettings workspaces, DatabaseProperties database,
                                SecuritySettings security) {
        return Sandbox.fromPath(settings.allowUnsandboxed(), hidden(settings, workspaces, database, security));
    }

    private static List<Path> hidden(SandboxSettings settings, WorkspaceSettings workspaces, DatabaseProperties database,
                                     SecuritySettings security) {
        var hidden = new ArrayList<Path>();
        if (settings.hidden() != null) {
            settings.hidden().forEach(p -> hidden.add(Path.of(p)));
        } else {
            hidden.add(workspaces.dir().toAbsolutePath().getParent());
            hidden.add(database.dataDirectory().toAbsolutePath());
            hidden.add(security.tokenFile().toAbsolutePath().getParent());
            hidden.add(Path.of(System.getProperty("user.dir")));
        }
        hidden.removeIf(p -> p == null || p.getNameCount() == 0); // never "/"
        return hidden;
    }

    @Bean
    Repositories repositories(GrandpaProperties properties, Sandbox sandbox, SandboxSettings settings) {
        return new Repositories(properties.repositories(), sandbox.confined() || settings.allowUnsandboxed());
    }

    @Bean
    Workspaces workspaces(WorkspaceSettings settings) {
        return new Workspaces(settings.dir(), new Git(settings.gitTimeout()));
    }

    @Bean
    ChangeChecks changeChecks(Sandbox sandbox, SandboxSettings settings, Workspaces workspaces, WorkspaceSettings dirs,
                              DatabaseProperties database, SecuritySettings security) {
        return new ChangeChecks(sandbox, agentSandbox(settings, dirs, database, security), new Limits(settings.time(),
                settings.memory().toBytes(), settings.processes(), (int) settings.output().toBytes()), workspaces);
    }

    @Bean
    TaskBranches taskBranches(Repositories repositories, Workspaces workspaces, WorkspaceRepository stored,
                              PlanRepository plans, AttemptRepository attempts, TaskLedger ledger) {
        return new TaskBranches(repositories, workspaces, stored, plans, attempts, ledger);
    }

    @Bean
    WorktreeWork worktreeWork(Repositories repositories, TaskBranches branches, ChangeChecks checks) {
        return new WorktreeWork(repositories, branches, checks);
    }

    @Bean
    PullRequests pullRequests() {
        return new PullRequests();
    }
}
