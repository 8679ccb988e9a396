package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.routing.SchedulePlanner.Backend;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner.Job;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A schedule problem as {@link SchedulePlanner}'s search reads it: the jobs ordered longest chain first, the
 * backends' slots (cheaper backends first), and for each job the jobs it needs and the slots that may run it,
 * as bits of a long; with the slack of each job in a schedule found for it.
 */
class ScheduleProblem {
    static final int MAX_JOBS = SchedulePlanner.MAX_JOBS;

    final int n;
    final String[] keys;
    /** For each job, the jobs it depends on, as bits. */
    final long[] needs;
    /** For each job, the slots that may run it, as bits. */
    final long[] eligible;
    /** For each job, the longest chain of jobs after it, at the fastest call time. */
    final double[] tail;
    final String[] slotBackend;
    final double[] slotMs;
    final double fastest;

    ScheduleProblem(List<Job> all, List<Backend> backends) {
        var slotNames = new ArrayList<String>();
        var slotTimes = new ArrayList<Double>();
        var slotCaps = new ArrayList<Set<String>>();
        // The first slot of each backend, then the second of each, and so on, cheaper backends first:
        // of equally short schedules the one kept spreads the work and uses cheaper backends.
        var ordered = backends.stream().sorted(Comparator.comparingDouble(Backend::cost).thenComparing(Backend::name)).toList();
        for (int i = 0; i < all.size(); i++) {
            for (Backend b : ordered) {
                if (i < b.slots()) {
                    slotNames.add(b.name());
                    slotTimes.add(b.serviceMs());
                    slotCaps.add(b.capabilities());
                }
            }
        }
        if (all.size() > MAX_JOBS) {
            throw new IllegalArgumentException("a schedule is planned for at most " + MAX_JOBS + " subtasks");
        }
        while (slotNames.size() > MAX_JOBS) { // more slots than that: the slowest are left out of the plan
            int slowest = slotTimes.indexOf(java.util.Collections.max(slotTimes));
            slotNames.remove(slowest);
            slotTimes.remove(slowest);
            slotCaps.remove(slowest);
        }
        slotBackend = slotNames.toArray(String[]::new);
        slotMs = slotTimes.stream().mapToDouble(Double::doubleValue).toArray();
        fastest = Arrays.stream(slotMs).min().orElse(1);
        // Longest chain first, so the search meets good schedules early.
        var byKey = new HashMap<String, Job>();
        all.forEach(j -> byKey.put(j.key(), j));
        var chain = new HashMap<String, Integer>();
        for (Job j : all) {
            chainAfter(j.key(), all, chain);
        }
        var order = all.stream().sorted(Comparator.comparing((Job j) -> -chain.get(j.key()))).toList();
        n = order.size();
        keys = order.stream().map(Job::key).toArray(String[]::new);
        needs = new long[n];
        eligible = new long[n];
        tail = new double[n];
        var index = new HashMap<String, Integer>();
        for (int j = 0; j < n; j++) {
            index.put(keys[j], j);
        }
        for (int j = 0; j < n; j++) {
            Job job = order.get(j);
            for (String d : job.dependsOn()) {
                if (index.containsKey(d)) {
                    needs[j] |= 1L << index.get(d);
                }
            }
            for (int s = 0; s < slotMs.length; s++) {
                if (slotCaps.get(s).contains(job.capability())) {
                    eligible[j] |= 1L << s;
                }
            }
            tail[j] = chain.get(job.key()) * fastest;
        }
    }

    /** Jobs on the longest chain after this one (not counting it). */
    private int chainAfter(String key, List<Job> all, Map<String, Integer> memo) {
        Integer known = memo.get(key);
        if (known != null) {
            return known;
        }
        int after = all.stream().filter(j -> j.dependsOn().contains(key))
                .mapToInt(j -> 1 + chainAfter(j.key(), all, memo)).max().orElse(0);
        memo.put(key, after);
        return after;
    }

    /**
     * For each job of a schedule (its slot and start, and the schedule's last end), how far its end could move
     * without moving the last end:
     * from the latest, each must end before its dependants and the next job on its slot start.
     */
    double[] slack(int[] bestSlot, double[] bestStart, double best) {
        Integer[] byStart = java.util.stream.IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -bestStart[j])).toArray(Integer[]::new);
        double[] latestStart = new double[n];
        double[] slack = new double[n];
        for (int i = 0; i < n; i++) {
            int j = byStart[i];
            if (bestSlot[j] < 0) {
                continue;
            }
            double latestEnd = best;
            for (int k = 0; k < i; k++) { // those that start later
                int later = byStart[k];
                if (bestSlot[later] >= 0 && ((needs[later] >> j & 1) == 1 || bestSlot[later] == bestSlot[j])) {
                    latestEnd = Math.min(latestEnd, latestStart[later]);
                }
            }
            double end = bestStart[j] + slotMs[bestSlot[j]];
            latestStart[j] = latestEnd - slotMs[bestSlot[j]];
            slack[j] = Math.max(0, latestEnd - end);
        }
        return slack;
    }
}
