package dev.familiar.grandpa.core.runtime;

import dev.familiar.grandpa.core.grandpa.ResidentSession;
import dev.familiar.grandpa.core.grandpa.SessionPool;
import dev.familiar.grandpa.runtime.supervise.RuntimeSupervisor;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/runtime} and the {@code grandpaRuntime} part of {@code /actuator/health}. */
@RestController
@Component("grandpaRuntime")
public class RuntimeController implements HealthIndicator {

    /**
     * @param sessions per session of grandpa's (one per slot), how it calls the model: the API, the raw
     *                 format, why, and the server's context per slot (null until its first call found out)
     */
    public record RuntimeView(String mode, List<String> command, RuntimeSupervisor.Status status,
                              List<ResidentSession.PromptMode> sessions) {}

    private final RuntimeSupervisor supervisor;
    private final SessionPool sessions;

    public RuntimeController(RuntimeSupervisor supervisor, SessionPool sessions) {
        this.supervisor = supervisor;
        this.sessions = sessions;
    }

    @GetMapping("/api/runtime")
    public RuntimeView runtime() {
        var settings = supervisor.settings();
        return new RuntimeView(settings.attached() ? "attached" : "supervised", settings.command(), supervisor.status(),
                sessions.sessions().stream().map(ResidentSession::promptMode).toList());
    }

    /** Ready is up, down is down; starting, loading and restarting are reported as unknown (still 200). */
    @Override
    public Health health() {
        var status = supervisor.status();
        var builder = switch (status.state()) {
            case READY -> Health.up();
            case DOWN -> Health.down();
            default -> Health.unknown();
        };
        return builder.withDetail("state", status.state().name()).withDetail("reason", status.reason())
                .withDetail("since", status.since().toString()).withDetail("restarts", status.restarts())
                .withDetail("buffersMiB", status.buffersMiB()).withDetail("promptCacheMisses", status.cacheMisses())
                .build();
    }
}
