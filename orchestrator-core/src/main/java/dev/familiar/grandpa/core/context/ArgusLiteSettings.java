package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.McpEndpoint;
import dev.familiar.grandpa.core.repository.Repository;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.sandbox.Access;
import dev.familiar.grandpa.workspace.sandbox.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The code-symbols server shipped with grandpa ({@code grandpa.context.argus-lite.*}): enabled, grandpa
 * starts it over stdio as the connection {@code argus-lite} on the mirror of every configured repository
 * (at its default branch as last fetched, so it moves with every task's fetch), and it plays the
 * {@code code-symbols} role unless the configuration gives that role to another server.
 *
 * @param jar its jar, as {@code ./mvnw package} builds it
 */
record ArgusLiteSettings(@DefaultValue("false") boolean enabled,
                                @DefaultValue("argus-lite/target/argus-lite.jar") Path jar) {
    static final String CONNECTION = "argus-lite";
    static final String ROLE = "code-symbols";

    /** What the sandbox lets it read: the repositories' mirrors, its jar, the Java it runs on. */
    Access access(Path mirrors) {
        return new Access(Network.NONE, List.of(), List.of(mirrors.toAbsolutePath(), jar.toAbsolutePath(),
                Path.of(System.getProperty("java.home"))));
    }
    /** What the role asks: the question, the symbols the subtask names, the task's repository. */
    static final Map<String, String> ARGUMENTS = Map.of("query", "{query}", "symbols", "{symbols}",
            "repository", "{repository}");

    /**
     * The connection to start, by name; none when not enabled or without repositories. It reads the
     * repositories' own files, which are not to be trusted, so it runs in the sandbox: no network, the
     * mirrors and its jar read-only, a folder of its own to write in ({@code confined} is its launcher).
     */
    Map<String, McpEndpoint> endpoints(List<Repository> repositories, Workspaces workspaces, List<String> confined) {
        if (!enabled || repositories.isEmpty()) {
            return Map.of();
        }
        var command = new ArrayList<>(confined);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!confined.isEmpty()) {
            // the sandbox's user has no home of its own, and tree-sitter unpacks its libraries under user.home by
            // moving them from java.io.tmpdir: both on the sandbox's /tmp, or the move crosses file systems
            command.add("-Duser.home=/tmp");
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        for (Repository repo : repositories) {
            command.add("--repo=" + repo.name() + "=" + workspaces.mirror(repo.spec()).toAbsolutePath()
                    + "@refs/remotes/origin/" + repo.spec().defaultBranch());
        }
        command.add("--stdio");
        return Map.of(CONNECTION, new McpEndpoint.Process(command));
    }
}
