package dev.familiar.grandpa.core.runtime;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How grandpa keeps its model's server: attached to one someone else runs (no command, the default),
 * or started by grandpa from {@code command} (a {@code llama-server ...} line, or a
 * {@code podman run ...} / {@code docker run ...} line for a container; {@code grandpa placement}
 * prints one).
 *
 * @param serverUrl    the server's root; empty means the grandpa model's base URL without {@code /v1}
 * @param readyTimeout how long loading may take (a 300 GiB model takes minutes)
 */
@ConfigurationProperties("grandpa.runtime")
public record RuntimeProperties(
        String serverUrl,
        List<String> command,
        @DefaultValue("30m") Duration readyTimeout,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("2s") Duration minBackoff,
        @DefaultValue("2m") Duration maxBackoff,
        @DefaultValue("200") int logLines) {

    public RuntimeProperties {
        command = command == null ? List.of() : List.copyOf(command);
    }
}
