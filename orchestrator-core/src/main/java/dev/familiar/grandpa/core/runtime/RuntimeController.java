package dev.familiar.grandpa.core.runtime;

import dev.familiar.grandpa.core.resident.SessionPool;
import dev.familiar.grandpa.runtime.placement.MemoryEstimate;
import dev.familiar.grandpa.runtime.placement.PlacementPlan;
import dev.familiar.grandpa.runtime.placement.PlanCheck;
import dev.familiar.grandpa.runtime.placement.SpeedCheck;
import dev.familiar.grandpa.runtime.session.ResidentSession;
import dev.familiar.grandpa.runtime.supervise.RuntimeSupervisor;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/runtime} and the {@code grandpaRuntime} part of {@code /actuator/health}. */
@RestController
@Component("grandpaRuntime")
class RuntimeController implements HealthIndicator {

    /**
     * @param sessions  per session of grandpa's (one per slot), how it calls the model: the API, the raw
     *                  format, why, and the server's context per slot (null until its first call found out)
     * @param placement where the planned server puts what, per device (empty unless grandpa planned it
     *                  from the model file, {@code grandpa.runtime.launch})
     * @param planAgainstLog per device, the plan against what the server logged it allocated (a warning over 10 %)
     * @param speedAgainstLog the plan's prompt and generation speed against the server's fastest long enough request
     *                  since it started, as it logged them (a warning over 10 %)
     */
    public record RuntimeView(String mode, List<String> command, RuntimeSupervisor.Status status,
                              List<ResidentSession.PromptMode> sessions, List<PlannedDevice> placement,
                              List<PlanCheck> planAgainstLog, List<SpeedCheck> speedAgainstLog) {}

    /** One device of the plan, in MiB as llama.cpp logs its buffers. */
    public record PlannedDevice(String device, int expertLayers, long weightsMiB, long expertsMiB, long kvCacheMiB,
                                long computeMiB, long totalMiB, long budgetMiB) {
        static PlannedDevice of(MemoryEstimate d, PlacementPlan plan) {
            return new PlannedDevice(d.device(), plan.layersOn(d.device()).size(), mib(d.weights()), mib(d.experts()),
                    mib(d.kvCache()), mib(d.compute()), mib(d.total()), mib(d.budget()));
        }

        private static long mib(long bytes) {
            return Math.round(bytes / (double) (1L << 20));
        }
    }

    private final RuntimeSupervisor supervisor;
    private final SessionPool sessions;
    private final List<PlannedDevice> placement;
    private final RuntimeCommands.Resolved command;

    public RuntimeController(RuntimeSupervisor supervisor, SessionPool sessions, RuntimeCommands.Resolved command) {
        this.supervisor = supervisor;
        this.sessions = sessions;
        this.command = command;
        PlacementPlan plan = command.plan();
        this.placement = plan == null ? List.of() : Stream.concat(plan.devices().stream(), Stream.of(plan.host()))
                .map(d -> PlannedDevice.of(d, plan)).toList();
    }

    @GetMapping("/api/runtime")
    public RuntimeView runtime() {
        var settings = supervisor.settings();
        var status = supervisor.status();
        return new RuntimeView(settings.attached() ? "attached" : "supervised", supervisor.command(), status,
                sessions.sessions().stream().map(ResidentSession::promptMode).toList(), placement,
                command.checkedAgainst(supervisor), command.speedCheckedAgainst(supervisor));
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
