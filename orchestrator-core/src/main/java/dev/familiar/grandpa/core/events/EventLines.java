package dev.familiar.grandpa.core.events;

import dev.familiar.grandpa.store.event.TaskEvent;
import java.util.Locale;

/**
 * A task's events as lines a person reads (the event stream's {@code line}, which the command-line client
 * prints; the progress the OpenAI-compatible door and MCP's wait send): status, plan, attempts, checks,
 * verdicts, recoveries, and how far an answer grandpa is writing has got. Events that say nothing to a
 * person give no line.
 */
public final class EventLines {
    private EventLines() {
    }

    /**
     * @param withOutput whether the pieces of coders' answers are lines too
     * @return the line, or null for none
     */
    public static String line(Event event, boolean withOutput) {
        return switch (event) {
            case Event.Submitted e -> "submitted";
            case Event.StatusChanged e -> "status " + e.status() + (e.reason() != null ? ": " + e.reason() : "");
            case Event.ContextGathered e -> "context" + (e.subtask() != null ? " for " + e.subtask() : "") + ": " + e.items()
                    + " items, " + e.tokens() + " tokens" + (e.cut() != null && e.cut() > 0 ? ", " + e.cut() + " left out" : "")
                    + (e.problems() == null || e.problems().isEmpty() ? "" : " (" + String.join("; ", e.problems()) + ")");
            case Event.ContextLookedUp e -> "grandpa looked up " + e.role() + " \"" + oneLine(e.query(), 80) + "\""
                    + (e.symbols() == null || e.symbols().isEmpty() ? "" : " (" + String.join(", ", e.symbols()) + ")")
                    + ": " + e.items() + " items, " + e.tokens() + " tokens"
                    + (e.problems() == null || e.problems().isEmpty() ? "" : " (" + String.join("; ", e.problems()) + ")");
            case Event.ModelProgress e -> String.format(Locale.ROOT, "grandpa is writing the %s: %d tokens, %.1f s … %s",
                    e.purpose().label(), e.tokens(), e.elapsedMs() / 1000.0, end(text(e.tail()), 60));
            case Event.ModelCalled e -> String.format(Locale.ROOT, "grandpa's %s: %d prompt tokens (%d cached), %d written in %.1f s",
                    e.purpose().label(), e.promptTokens(), e.cachedTokens(), e.predictedTokens(), e.wallMs() / 1000.0);
            case Event.Planned e -> "plan v" + e.version() + ": " + e.subtasks() + " subtasks"
                    + (e.summary() != null ? ": " + oneLine(e.summary(), 100) : "");
            case Event.RecoveryTaken e -> "recovery " + e.rung() + (e.subtask() != null ? " for " + e.subtask() : "")
                    + ": " + oneLine(text(e.reason()), 160);
            case Event.AttemptStarted e -> e.subtask() + " #" + e.attempt() + " -> " + e.backend()
                    + (e.routing() != null ? " (" + oneLine(e.routing(), 100) + ")" : "");
            case Event.AttemptOutput e -> withOutput ? e.text() : null;
            case Event.AttemptFinished e -> String.format(Locale.ROOT, "%s #%d on %s: %s in %.1f s%s", e.subtask(),
                    e.attempt(), e.backend(), e.status(), e.durationMs() / 1000.0, e.error() != null ? " (" + e.error() + ")" : "");
            case Event.CheckRan e -> "check " + e.name() + (e.subtask() != null ? " on " + e.subtask() + " #" + e.attempt()
                    : " on the branch") + ": " + (e.passed() ? "passed" : "failed")
                    + (e.exitCode() != null ? " (exit " + e.exitCode() + ")" : "");
            case Event.FirstJudged e -> "first judge " + e.backend() + " on " + e.subtask() + " #" + e.attempt() + ": "
                    + (e.verdict() != null ? e.verdict() + String.format(Locale.ROOT, " (confidence %.2f)", e.confidence())
                    : e.problem()) + (e.decided() ? "" : ", grandpa judges");
            case Event.Evaluated e -> e.subtask() + " #" + e.attempt() + ": " + e.verdict() + " by " + e.judgedBy().stored();
            case Event.SubtaskAccepted e -> e.subtask() + " accepted (" + e.backend() + ")";
            case Event.AttemptsInterrupted e -> e.count() + " calls cut off by a stop are made again";
            case Event.BranchOpened e -> "branch " + e.branch() + " opened in " + e.repository() + " from " + e.base();
            case Event.ChangeCommitted e -> e.subtask() + " #" + e.attempt() + " committed as " + shortCommit(e.commit());
            case Event.BranchRebuilt e -> "branch " + e.branch() + " rebuilt from " + e.changes() + " stored changes";
            case Event.BranchPushed e -> "branch " + e.branch() + " pushed" + (e.pullRequest() != null ? ": " + e.pullRequest() : "");
            case Event.AttemptOutputRestarted e -> null;
            case Event.Scheduled e -> null;
        };
    }

    /** A stored event's line: through its record, or, for a type this version does not know, its name and data. */
    public static String line(TaskEvent stored, boolean withOutput) {
        return EventCodec.decode(stored).map(e -> line(e, withOutput)).orElse(stored.type() + " " + stored.data());
    }

    private static String text(String text) {
        return text == null ? "" : text;
    }

    private static String shortCommit(String commit) {
        return commit == null ? "?" : commit.substring(0, Math.min(12, commit.length()));
    }

    /** The last {@code max} characters of the text, on one line. */
    private static String end(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(flat.length() - max);
    }

    private static String oneLine(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
