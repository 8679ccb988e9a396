package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan's schedule as routing keeps to it: the schedule planner's answer (times from its start) and,
 * per subtask, its {@link Planned} place in the router's clock.
 */
public record Scheduled(SchedulePlanner.Schedule schedule, Map<String, Planned> planned) {

    /**
     * Plans the jobs on the usable backends from {@code now}: each backend at its usual call time (the
     * fastest one's where not measured yet) over its optimistic success rate, so a poor backend is
     * planned as a slow one and a little-used one as it measured.
     */
    static Scheduled plan(SchedulePlanner planner, List<SchedulePlanner.Job> jobs, Collection<CoderBackend> all,
                          OutcomeHistory history, long now) {
        double fastest = SlotBook.fastest(all);
        var backends = new HashMap<String, SchedulePlanner.Backend>();
        for (var job : jobs) {
            all.stream().filter(CoderBackend::available).filter(b -> b.spec().capabilities().contains(job.capability()))
                    .forEach(b -> backends.merge(b.name(), new SchedulePlanner.Backend(b.name(), Set.of(job.capability()),
                            b.serviceMillis().orElse(fastest) / Math.max(history.of(b.name(), job.capability()).optimisticRate(), 1e-3),
                            b.spec().slots(), b.spec().cost()), Scheduled::merge));
        }
        var schedule = planner.plan(jobs, List.copyOf(backends.values()));
        var planned = new HashMap<String, Planned>();
        schedule.placements().forEach((key, p) -> planned.put(key, new Planned(p.backend(), now + Math.round(p.startMs()),
                Math.round(p.finishMs() - p.startMs()), Math.round(p.slackMs()))));
        return new Scheduled(schedule, Map.copyOf(planned));
    }

    /** One backend planned for several capabilities: the union, at its slowest call time. */
    private static SchedulePlanner.Backend merge(SchedulePlanner.Backend a, SchedulePlanner.Backend b) {
        var capabilities = new HashSet<>(a.capabilities());
        capabilities.addAll(b.capabilities());
        return new SchedulePlanner.Backend(a.name(), capabilities, Math.max(a.serviceMs(), b.serviceMs()), a.slots(), a.cost());
    }
}
