package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.workspace.sandbox.Network;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a command-line agent may reach from its sandbox ({@code grandpa.backends[i].sandbox.*}).
 *
 * @param hosts         the only places it may connect to, as URLs ({@code http://127.0.0.1:8001},
 *                      {@code https://api.example.com}) or {@code host:port}; a host on the machine's loopback
 *                      is reached through that port alone. None: no network at all
 * @param homeFiles     files copied, read-only, into its otherwise empty home (its own configuration), at
 *                      their place relative to the service user's home
 * @param readablePaths what else it may read (where it is installed, when that is not under /usr or /opt)
 */
public record AgentSandboxSettings(List<String> hosts, List<String> homeFiles, List<String> readablePaths) {
    public static final AgentSandboxSettings NONE = new AgentSandboxSettings(List.of(), List.of(), List.of());

    public AgentSandboxSettings {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        homeFiles = homeFiles == null ? List.of() : List.copyOf(homeFiles);
        readablePaths = readablePaths == null ? List.of() : List.copyOf(readablePaths);
    }

    /** With the agent's program readable too, where the command names it by its path. */
    public AgentSandboxSettings withProgram(List<String> command) {
        if (command == null || command.isEmpty() || !command.getFirst().startsWith("/")) {
            return this;
        }
        var readable = new java.util.ArrayList<>(readablePaths);
        readable.add(command.getFirst());
        return new AgentSandboxSettings(hosts, homeFiles, readable);
    }

    /** The network its hosts give. @throws IllegalArgumentException naming a host that is not one */
    public Network network() {
        return hosts.isEmpty() ? Network.NONE : new Network.Forwarded(hosts.stream().map(AgentSandboxSettings::place).toList());
    }

    public List<Path> homePaths() {
        return homeFiles.stream().map(Path::of).toList();
    }

    public List<Path> readable() {
        return readablePaths.stream().map(Path::of).toList();
    }

    static Network.Place place(String host) {
        String h = host.strip();
        URI uri = URI.create(h.contains("://") ? h : "tcp://" + h);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + host + "' is not a URL or host:port");
        }
        if (BackendPolicy.metadataHost(uri.getHost())) {
            throw new IllegalArgumentException("'" + host + "' is a link-local or cloud metadata address");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "http" -> 80;
            case "https" -> 443;
            default -> throw new IllegalArgumentException("'" + host + "' names no port");
        };
        return new Network.Place(uri.getHost(), port);
    }
}
