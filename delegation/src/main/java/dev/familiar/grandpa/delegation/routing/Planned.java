package dev.familiar.grandpa.delegation.routing;

/**
 * Where and when a task's schedule wants a subtask to run ({@link SchedulePlanner}), in the router's
 * clock (epoch milliseconds): its backend, planned start, planned call time, and slack (how much later
 * it may end without delaying the task). A routing keeps to that backend, waiting for it if need be,
 * until it is later than its planned start by more than its call time and slack.
 */
public record Planned(String backend, long startMillis, long callMillis, long slackMillis) {

    /** No schedule: served in order of arrival, wherever it would end soonest. */
    public static Planned unscheduled(long nowMillis) {
        return new Planned(null, nowMillis, 0, Long.MAX_VALUE / 4);
    }

    boolean keptTo(long nowMillis) {
        return backend != null && nowMillis - startMillis <= callMillis + slackMillis;
    }

    /** Whether ending at {@code endMillis} is soon enough not to delay the task. */
    boolean allowsEndAt(long endMillis) {
        return endMillis - (startMillis + callMillis) <= slackMillis;
    }
}
