package dev.familiar.grandpa.workspace.sandbox;

import java.util.List;

/**
 * A program's confinement for one run: the command line it runs under, and what is undone once it has
 * finished (its network namespace, relays, the files it was handed). Close it after the program ended.
 */
public final class Confined implements AutoCloseable {
    private final List<String> launcher;
    private final List<AutoCloseable> undo;

    Confined(List<String> launcher, List<AutoCloseable> undo) {
        this.launcher = List.copyOf(launcher);
        this.undo = List.copyOf(undo);
    }

    /** What goes before the program's own command line; empty when commands run unconfined. */
    public List<String> launcher() {
        return launcher;
    }

    @Override
    public void close() {
        for (AutoCloseable step : undo.reversed()) {
            try {
                step.close();
            } catch (Exception e) {
                // undo the rest anyway
            }
        }
    }
}
