package dev.familiar.grandpa.core.planning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a plan before it is stored: bounded, well-formed ids, known capabilities, an acyclic DAG. */
final class PlanValidator {
    /** What a subtask id may be: also the pattern of the plan's schema. */
    public static final String ID_PATTERN = "[A-Za-z0-9_.-]{1,40}";
    private static final Pattern ID = Pattern.compile(ID_PATTERN);

    private PlanValidator() {}

    /**
     * @param done   ids of subtasks already accepted under earlier plan versions; the plan may depend
     *               on them but not reuse them
     * @param checks the names of the checks a subtask may name (its repository's), empty when none
     * @return the problems found, empty when the plan is valid
     */
    public static List<String> problems(Plan plan, int maxSubtasks, Set<String> capabilities, Set<String> done,
                                        Set<String> checks) {
        var problems = new ArrayList<String>();
        var subtasks = plan.subtasks();
        if (subtasks.isEmpty()) {
            problems.add("the plan has no subtasks");
        }
        if (subtasks.size() > maxSubtasks) {
            problems.add("the plan has " + subtasks.size() + " subtasks; at most " + maxSubtasks + " are allowed");
        }
        var ids = new HashSet<String>();
        for (PlannedSubtask s : subtasks) {
            String where = "subtask '" + s.id() + "'";
            if (s.id() == null || !ID.matcher(s.id()).matches()) {
                problems.add(where + ": an id is 1-40 letters, digits, '.', '_' or '-'");
            } else if (done.contains(s.id())) {
                problems.add(where + ": the id is taken by an accepted subtask; choose a new one");
            } else if (!ids.add(s.id())) {
                problems.add(where + ": the id is used twice");
            }
            if (blank(s.title()) || blank(s.instructions())) {
                problems.add(where + ": title and instructions are required");
            }
            if (s.capability() == null || !capabilities.contains(s.capability())) {
                problems.add(where + ": capability '" + s.capability() + "' is not one of " + capabilities);
            }
            if (s.check() != null && !checks.contains(s.check())) {
                problems.add(where + ": check '" + s.check() + "' is not one of the repository's checks " + checks);
            }
        }
        for (PlannedSubtask s : subtasks) {
            for (String dep : s.dependsOn()) {
                if (dep == null || (!ids.contains(dep) && !done.contains(dep))) {
                    problems.add("subtask '" + s.id() + "' depends on unknown subtask '" + dep + "'");
                } else if (dep.equals(s.id())) {
                    problems.add("subtask '" + s.id() + "' depends on itself");
                }
            }
        }
        if (problems.isEmpty()) {
            cycle(subtasks).ifPresent(c -> problems.add("the dependencies form a cycle: " + String.join(" -> ", c)));
        }
        return problems;
    }

    private static java.util.Optional<List<String>> cycle(List<PlannedSubtask> subtasks) {
        Map<String, List<String>> edges = new HashMap<>();
        subtasks.forEach(s -> edges.put(s.id(), s.dependsOn()));
        Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = finished
        for (String start : edges.keySet()) {
            var path = new ArrayList<String>();
            if (visit(start, edges, state, path)) {
                return java.util.Optional.of(path);
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean visit(String id, Map<String, List<String>> edges, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(id);
        if (s != null) {
            if (s == 1) {
                path.add(id);
                return true;
            }
            return false;
        }
        state.put(id, 1);
        path.add(id);
        for (String dep : edges.getOrDefault(id, List.of())) {
            if (edges.containsKey(dep) && visit(dep, edges, state, path)) {
                return true;
            }
        }
        path.removeLast();
        state.put(id, 2);
        return false;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
