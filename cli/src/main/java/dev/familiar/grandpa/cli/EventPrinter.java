package dev.familiar.grandpa.cli;

import java.io.PrintWriter;

/**
 * Prints a task's events as the lines the service words for them. On a terminal, the progress of an
 * answer grandpa is writing overwrites its own line; elsewhere each report is a line. Coders' answers
 * as they come are shown only when asked ({@code withOutput}).
 */
final class EventPrinter {
    /** The types of the events the printer treats on their own: pieces of an answer, and grandpa's progress. */
    static final String OUTPUT = "attempt.output";
    static final String PROGRESS = "model.progress";

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
        String line = event.type().equals(OUTPUT) && !withOutput ? null : event.line();
        if (event.type().equals(PROGRESS)) {
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
