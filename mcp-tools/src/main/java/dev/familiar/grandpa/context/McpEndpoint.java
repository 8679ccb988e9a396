package dev.familiar.grandpa.context;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Where an MCP server is: a process spoken to over stdio, or a service over HTTP. */
public sealed interface McpEndpoint {

    /** A process grandpa starts, spoken to over its standard input and output, with these variables set. */
    record Process(List<String> command, Map<String, String> environment) implements McpEndpoint {
        public Process {
            if (command == null || command.isEmpty() || command.getFirst() == null || command.getFirst().isBlank()) {
                throw new IllegalArgumentException("an MCP server run as a process needs its command");
            }
            command = List.copyOf(command);
            environment = environment == null ? Map.of() : Map.copyOf(environment);
        }

        public Process(List<String> command) {
            this(command, Map.of());
        }
    }

    /**
     * A server elsewhere on the network: streamable HTTP at {@code url} (the current transport), or, for
     * older servers, HTTP with server-sent events ({@code sse}: {@code url} is its SSE endpoint).
     *
     * @param bearerToken sent as {@code Authorization: Bearer ...} to this server only, or null
     */
    record Http(URI url, boolean sse, String bearerToken) implements McpEndpoint {
        public Http {
            Objects.requireNonNull(url, "url");
            if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
                throw new IllegalArgumentException("an MCP server's URL must be http(s)://host[:port]/path, not '" + url + "'");
            }
        }

        /** scheme://host[:port], the part the SDK's transports take apart from the path. */
        String base() {
            return url.getScheme() + "://" + url.getRawAuthority();
        }

        String path() {
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        }
    }
}
