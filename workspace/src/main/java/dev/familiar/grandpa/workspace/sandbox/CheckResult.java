package dev.familiar.grandpa.workspace.sandbox;

/**
 * How one command run in a worktree went.
 *
 * @param exitCode   its exit status (-1 when it was killed at its time limit)
 * @param outputTail the end of what it printed (standard output and error together)
 */
public record CheckResult(String command, int exitCode, long durationMs, boolean timedOut, String outputTail) {
    public boolean passed() {
        return exitCode == 0 && !timedOut;
    }
}
