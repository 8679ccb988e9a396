package dev.familiar.grandpa.core.cli;

import dev.familiar.grandpa.core.events.EventLines;
import java.io.PrintWriter;

/**
 * Prints a task's events as {@link EventLines}. On a terminal, the progress of an answer grandpa is
 * writing overwrites its own line; elsewhere each report is a line. Coders' answers as they come are
 * shown only when asked ({@code withOutput}).
 */
final class EventPrinter {
    private final PrintWriter out;
    private final boolean terminal;
    private final boolean withOutput;
    private boolean progressOpen;

    EventPrinter(PrintWriter out, boolean terminal, boolean withOutput) {
        this.out = out;
        this.terminal = terminal;
        this.withOutput = withOutput;
    }

    void print(ApiClient.ServerEvent event) {
        String line = EventLines.line(event.type(), event.data(), withOutput);
        if (event.type().equals("model.progress")) {
            progress(line);
        } else if (line != null) {
            endProgress();
            out.println(line);
        }
        out.flush();
    }

    /** Ends a progress line left open on the terminal. */
    void finish() {
        endProgress();
        out.flush();
    }

    private void progress(String line) {
        if (terminal) {
            out.print("\r\033[K" + line);
            progressOpen = true;
        } else {
            out.println(line);
        }
    }

    private void endProgress() {
        if (progressOpen) {
            out.println();
            progressOpen = false;
        }
    }
}
