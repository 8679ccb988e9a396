package dev.familiar.grandpa.core.events;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A task's events as lines a person reads (the command-line client's {@code watch}, the progress the
 * OpenAI-compatible door streams): status, plan, attempts, checks, verdicts, recoveries, and how far an
 * answer grandpa is writing has got. Events that say nothing to a person give no line.
 */
public final class EventLines {
    private EventLines() {
    }

    /**
     * @param type       the event's type, as {@link EventJournal#type} names it
     * @param d          its data
     * @param withOutput whether the pieces of coders' answers are lines too
     * @return the line, or null for none
     */
    public static String line(String type, JsonNode d, boolean withOutput) {
        return switch (type) {
            case "submitted" -> "submitted";
            case "status" -> "status " + s(d, "status") + (d.hasNonNull("reason") ? ": " + s(d, "reason") : "");
            case "context.gathered" -> "context: " + d.path("items").asInt() + " items, " + d.path("tokens").asInt()
                    + " tokens" + (d.path("problems").isEmpty() ? "" : " (" + d.path("problems") + ")");
            case "model.progress" -> String.format(Locale.ROOT, "grandpa is writing the %s: %d tokens, %.1f s … %s",
                    s(d, "purpose"), d.path("tokens").asInt(), d.path("elapsedMs").asLong() / 1000.0, end(s(d, "tail"), 60));
            case "model.call" -> String.format(Locale.ROOT, "grandpa's %s: %d prompt tokens (%d cached), %d written in %.1f s",
                    s(d, "purpose"), d.path("promptTokens").asInt(), d.path("cachedTokens").asInt(),
                    d.path("predictedTokens").asInt(), d.path("wallMs").asLong() / 1000.0);
            case "planned" -> "plan v" + d.path("version").asInt() + ": " + d.path("subtasks").asInt() + " subtasks"
                    + (d.hasNonNull("summary") ? ": " + oneLine(s(d, "summary"), 100) : "");
            case "recovery" -> "recovery " + s(d, "rung") + (d.hasNonNull("subtask") ? " for " + s(d, "subtask") : "")
                    + ": " + oneLine(s(d, "reason"), 160);
            case "attempt.started" -> s(d, "subtask") + " #" + d.path("attempt").asInt() + " -> " + s(d, "backend")
                    + (d.hasNonNull("routing") ? " (" + oneLine(s(d, "routing"), 100) + ")" : "");
            case "attempt.output" -> withOutput ? s(d, "text") : null;
            case "attempt.finished" -> String.format(Locale.ROOT, "%s #%d on %s: %s in %.1f s%s", s(d, "subtask"),
                    d.path("attempt").asInt(), s(d, "backend"), s(d, "status"), d.path("durationMs").asLong() / 1000.0,
                    d.hasNonNull("error") ? " (" + s(d, "error") + ")" : "");
            case "check" -> "check " + s(d, "name") + (d.hasNonNull("subtask") ? " on " + s(d, "subtask") + " #"
                    + d.path("attempt").asInt() : " on the branch") + ": " + (d.path("passed").asBoolean() ? "passed" : "failed")
                    + (d.hasNonNull("exitCode") ? " (exit " + d.path("exitCode").asInt() + ")" : "");
            case "judge.first" -> "first judge " + s(d, "backend") + " on " + s(d, "subtask") + " #" + d.path("attempt").asInt()
                    + ": " + (d.hasNonNull("verdict") ? s(d, "verdict") + String.format(Locale.ROOT, " (confidence %.2f)",
                    d.path("confidence").asDouble()) : s(d, "problem")) + (d.path("decided").asBoolean() ? "" : ", grandpa judges");
            case "evaluated" -> s(d, "subtask") + " #" + d.path("attempt").asInt() + ": " + s(d, "verdict") + " by "
                    + s(d, "judgedBy");
            case "subtask.accepted" -> s(d, "subtask") + " accepted (" + s(d, "backend") + ")";
            case "attempt.output.restart", "plan.scheduled" -> null;
            default -> type + " " + d;
        };
    }

    private static String s(JsonNode node, String field) {
        return node.path(field).asString("");
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
