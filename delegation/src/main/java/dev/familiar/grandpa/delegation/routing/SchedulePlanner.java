package dev.familiar.grandpa.delegation.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans where and in what order a task's subtasks should run, before they run: the plan DAG on the
 * backends' slots with their usual call times. Greedy choices (each ready subtask to the slot where it
 * ends soonest) leave slow backends idle and can be half again as slow as the best schedule; the best
 * schedule often hands a subtask with time to spare to a slow backend early. So this searches:
 * branch and bound over the moments a call ends, trying every way of starting ready subtasks on free
 * slots (idling included), pruned by the critical path and by the work left against the slots' rates,
 * and by states already reached no later. It starts from the greedy schedule and stops after a budget
 * of search steps with the best schedule found so far.
 */
public final class SchedulePlanner {
    /** One subtask of the plan. */
    public record Job(String key, String capability, Set<String> dependsOn) {}

    /** One backend that could run subtasks, with its usual call time, its slots and its relative cost. */
    public record Backend(String name, Set<String> capabilities, double serviceMs, int slots, double cost) {}

    /**
     * Where a subtask is planned to run, and when, in milliseconds from the start of the schedule.
     *
     * @param slackMs how much later it could end without making the whole schedule longer
     */
    public record Placement(String backend, double startMs, double finishMs, double slackMs) {}

    /**
     * @param optimal whether the search finished within its budget, so no schedule is shorter
     */
    public record Schedule(Map<String, Placement> placements, double makespanMs, boolean optimal, long steps) {}

    /** Jobs and slots are kept as bits of a long. */
    public static final int MAX_JOBS = 63;

    private final int budget;

    public SchedulePlanner(int budget) {
        this.budget = budget;
    }

    /** Plans the jobs; a dependency on a subtask that is not among them counts as done. */
    public Schedule plan(List<Job> jobs, List<Backend> backends) {
        return new Search(jobs, backends).run();
    }

    /** The branch and bound over the problem's jobs and slots, with the best schedule found so far. */
    private final class Search extends ScheduleProblem {
        private final Map<String, Double> reached = new HashMap<>();
        private final int[] slotOf;
        private final double[] startOf;
        private int[] bestSlot;
        private double[] bestStart;
        private double best = Double.MAX_VALUE;
        private long steps;

        Search(List<Job> all, List<Backend> backends) {
            super(all, backends);
            slotOf = new int[n];
            startOf = new double[n];
        }

        Schedule run() {
            var placements = new HashMap<String, Placement>();
            if (n == 0) {
                return new Schedule(placements, 0, true, 0);
            }
            greedy();
            int[] job = new int[slotMs.length];
            Arrays.fill(job, -1);
            decide(0, 0, 0, job, new double[slotMs.length]);
            if (bestSlot == null || best == Double.MAX_VALUE) { // some job has no backend to go to: nothing is planned
                return new Schedule(placements, 0, false, steps);
            }
            double[] slack = slack(bestSlot, bestStart, best);
            for (int j = 0; j < n; j++) {
                if (bestSlot[j] >= 0) {
                    placements.put(keys[j], new Placement(slotBackend[bestSlot[j]], bestStart[j],
                            bestStart[j] + slotMs[bestSlot[j]], slack[j]));
                }
            }
            return new Schedule(placements, best, steps <= budget, steps);
        }

        /** The starting incumbent: each ready job, longest chain first, on the slot where it ends soonest. */
        private void greedy() {
            bestSlot = new int[n];
            bestStart = new double[n];
            Arrays.fill(bestSlot, -1);
            double[] free = new double[slotMs.length];
            double[] finish = new double[n];
            long placed = 0;
            double makespan = 0;
            while (placed != (1L << n) - 1) {
                int next = -1;
                double readyAt = 0;
                for (int j = 0; j < n; j++) {
                    if ((placed >> j & 1) == 0 && (needs[j] & ~placed) == 0) {
                        double at = 0;
                        for (int d = 0; d < n; d++) {
                            at = (needs[j] >> d & 1) == 1 ? Math.max(at, finish[d]) : at;
                        }
                        if (next < 0 || at < readyAt) { // ties keep the longer chain, which comes first
                            next = j;
                            readyAt = at;
                        }
                    }
                }
                if (next < 0) {
                    return; // a dependency outside the jobs, or a cycle: nothing can be planned
                }
                int slot = -1;
                for (int s = 0; s < slotMs.length; s++) {
                    if ((eligible[next] >> s & 1) == 1 && (slot < 0
                            || Math.max(free[s], readyAt) + slotMs[s] < Math.max(free[slot], readyAt) + slotMs[slot])) {
                        slot = s;
                    }
                }
                if (slot < 0) {
                    return; // no backend can run it
                }
                bestSlot[next] = slot;
                bestStart[next] = Math.max(free[slot], readyAt);
                finish[next] = bestStart[next] + slotMs[slot];
                free[slot] = finish[next];
                makespan = Math.max(makespan, finish[next]);
                placed |= 1L << next;
            }
            best = makespan;
        }

        /** At a moment calls may start: job[s] runs on slot s until end[s]. */
        private void decide(double now, long done, long started, int[] job, double[] end) {
            if (++steps > budget) {
                return;
            }
            String state = done + ":" + started + ":" + Arrays.toString(job) + ":"
                    + Arrays.toString(Arrays.stream(end).map(e -> Math.round(Math.max(0, e - now))).toArray());
            Double earlier = reached.get(state);
            if (earlier != null && earlier <= now + 1e-6) {
                return;
            }
            reached.put(state, now);
            long ready = 0;
            for (int j = 0; j < n; j++) {
                if ((started >> j & 1) == 0 && (needs[j] & ~done) == 0) {
                    ready |= 1L << j;
                }
            }
            int[] free = java.util.stream.IntStream.range(0, slotMs.length).filter(s -> job[s] < 0).toArray();
            start(free, 0, now, ready, done, started, job, end);
        }

        /** Tries each ready job, then idleness, on free slot i, and on to the next free slot. */
        private void start(int[] free, int i, double now, long ready, long done, long started, int[] job, double[] end) {
            if (steps > budget) {
                return;
            }
            if (i == free.length) {
                advance(now, done, started, job, end);
                return;
            }
            int slot = free[i];
            // Two free slots of one backend are alike: the later one takes a later job, or idles too.
            int twin = -1;
            for (int k = i - 1; k >= 0 && twin < 0; k--) {
                twin = slotBackend[free[k]].equals(slotBackend[slot]) ? free[k] : -1;
            }
            if (twin < 0 || job[twin] >= 0) {
                for (int j = twin >= 0 ? job[twin] + 1 : 0; j < n; j++) {
                    if ((ready >> j & 1) == 1 && (eligible[j] >> slot & 1) == 1) {
                        job[slot] = j;
                        end[slot] = now + slotMs[slot];
                        slotOf[j] = slot;
                        startOf[j] = now;
                        start(free, i + 1, now, ready & ~(1L << j), done, started | 1L << j, job, end);
                        job[slot] = -1;
                        end[slot] = 0;
                    }
                }
            }
            start(free, i + 1, now, ready, done, started, job, end);
        }

        /** Moves to the next moment a call ends, unless this branch cannot beat the best schedule. */
        private void advance(double now, long done, long started, int[] job, double[] end) {
            double next = Double.MAX_VALUE;
            double last = 0;
            for (int s = 0; s < slotMs.length; s++) {
                if (job[s] >= 0) {
                    next = Math.min(next, end[s]);
                    last = Math.max(last, end[s]);
                }
            }
            if (next == Double.MAX_VALUE) {
                return; // nothing runs and nothing started: no way forward
            }
            if (started == (1L << n) - 1) {
                if (last < best - 1e-6) {
                    best = last;
                    bestSlot = slotOf.clone();
                    bestStart = startOf.clone();
                }
                return;
            }
            if (bound(now, done, started, job, end) >= best - 1e-6) {
                return;
            }
            int[] nextJob = job.clone();
            double[] nextEnd = end.clone();
            long nextDone = done;
            for (int s = 0; s < slotMs.length; s++) {
                if (nextJob[s] >= 0 && nextEnd[s] <= next + 1e-9) {
                    nextDone |= 1L << nextJob[s];
                    nextJob[s] = -1;
                    nextEnd[s] = 0;
                }
            }
            decide(next, nextDone, started, nextJob, nextEnd);
        }

        /** No schedule from here ends before this: chains at the fastest call time, and the work left.
         *  The chains are settled by repeated passes, since the jobs are not in dependency order. */
        private double bound(double now, long done, long started, int[] job, double[] end) {
            double[] finish = new double[n]; // earliest each job can end
            double bound = 0;
            for (int s = 0; s < slotMs.length; s++) {
                if (job[s] >= 0) {
                    finish[job[s]] = end[s];
                }
            }
            int left = 0;
            for (int pass = 0; pass < n; pass++) {
                boolean changed = false;
                for (int j = 0; j < n; j++) {
                    if ((started >> j & 1) == 1) {
                        continue;
                    }
                    double at = now;
                    for (int d = 0; d < n; d++) {
                        if ((needs[j] >> d & 1) == 1 && (done >> d & 1) == 0) {
                            at = Math.max(at, finish[d]);
                        }
                    }
                    if (at + fastest > finish[j] + 1e-9) {
                        finish[j] = at + fastest;
                        changed = true;
                    }
                }
                if (!changed) {
                    break;
                }
            }
            for (int j = 0; j < n; j++) {
                if ((done >> j & 1) == 0) {
                    bound = Math.max(bound, finish[j] + tail[j]);
                }
                left += (started >> j & 1) == 0 ? 1 : 0;
            }
            return Math.max(bound, workBound(now, left, job, end));
        }

        /** The earliest moment by which the slots could have run {@code left} more jobs. */
        private double workBound(double now, int left, int[] job, double[] end) {
            if (left == 0) {
                return 0;
            }
            double[] candidates = new double[slotMs.length * left];
            int c = 0;
            for (int s = 0; s < slotMs.length; s++) {
                double free = job[s] >= 0 ? end[s] : now;
                for (int k = 1; k <= left; k++) {
                    candidates[c++] = free + k * slotMs[s];
                }
            }
            Arrays.sort(candidates);
            return candidates[left - 1]; // the left-th earliest completion over all slots
        }
    }
}
