package dev.familiar.grandpa.core.config;

import dev.familiar.grandpa.core.attempt.AttemptWorktrees;
import dev.familiar.grandpa.core.backends.AgentSandboxSettings;
import dev.familiar.grandpa.core.database.DatabaseProperties;
import dev.familiar.grandpa.core.ledger.BranchLedger;
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
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Work in repositories: the configured repositories, grandpa's checkouts of them, and the sandbox checks run in. */
@Configuration(proxyBeanMethods = false)
class WorkspaceConfiguration {
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
        var found = Sandbox.Settings.fromPath(settings.allowUnsandboxed(), hidden(settings, workspaces, database, security),
                settings.systemPaths().stream().map(Path::of).toList(), workspaces.dir().toAbsolutePath().resolve("sandbox"),
                settings.uid());
        Sandbox sandbox = new Sandbox(found);
        if (!sandbox.confined()) {
            log.warn(settings.allowUnsandboxed()
                    ? "bubblewrap (bwrap) is not installed: checks and agents run UNCONFINED"
                    : "bubblewrap (bwrap) is not installed: tasks in repositories and command-line agents are refused "
                    + "(apt-get install bubblewrap)");
        }
        if (found.pasta() == null) {
            log.warn("pasta is not installed: checks of repositories with network access and agents that reach a host "
                    + "are refused (apt-get install passt)");
        }
        return sandbox;
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
            hidden.add(Path.of(System.getProperty("user.home")));
            hidden.add(Path.of("/etc/grandpa")); // the service's own configuration and environment file
        }
        hidden.removeIf(p -> p == null || p.getNameCount() == 0); // never "/"
        return hidden;
    }

    @Bean
    Repositories repositories(GrandpaProperties properties, Sandbox sandbox, SandboxSettings settings,
                              ObjectProvider<Repositories.Source> sources) {
        return new Repositories(properties.repositories(), sources.orderedStream().toList(),
                sandbox.confined() || settings.allowUnsandboxed());
    }

    @Bean
    Workspaces workspaces(WorkspaceSettings settings) {
        return new Workspaces(settings.dir(), new Git(settings.gitTimeout()));
    }

    @Bean
    ChangeChecks changeChecks(Sandbox sandbox, SandboxSettings settings, Workspaces workspaces) {
        return new ChangeChecks(sandbox, new Limits(settings.time(), settings.memory().toBytes(), settings.processes(),
                (int) settings.output().toBytes(), settings.disk().toBytes()), workspaces);
    }

    @Bean
    TaskBranches taskBranches(Repositories repositories, Workspaces workspaces, WorkspaceRepository stored,
                              PlanRepository plans, AttemptRepository attempts, BranchLedger ledger) {
        return new TaskBranches(repositories, workspaces, stored, plans, attempts, ledger);
    }

    @Bean
    AttemptWorktrees attemptWorktrees(Repositories repositories, TaskBranches branches, ChangeChecks checks,
                              GrandpaProperties properties, WorkspaceSettings settings) {
        var agents = new HashMap<String, AgentSandboxSettings>();
        for (var b : properties.backends()) {
            try {
                b.sandbox().network(); // a host that is not one stops the start here, not at the agent's first call
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("grandpa.backends (" + b.name() + ").sandbox.hosts: " + e.getMessage(), e);
            }
            agents.put(b.name(), b.sandbox().withProgram(b.command()));
        }
        return new AttemptWorktrees(repositories, branches, checks, agents, settings.dir().toAbsolutePath().resolve("scratch"));
    }

    @Bean
    PullRequests pullRequests() {
        return new PullRequests();
    }
}
