package dev.familiar.grandpa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** A bake-off run as lines a person reads: its numbers, and case by case. */
final class EvalPrinter {
    private EvalPrinter() {}

    static void summary(PrintWriter out, JsonNode run) {
        JsonNode s = run.path("summary");
        out.printf("run %s: suite %s, %s, %d cases, %s%s%n", run.path("label").asString(), run.path("suite").asString(),
                run.path("setup").isString() ? "setup " + run.path("setup").asString() : "as configured",
                s.path("cases").asInt(), run.path("status").asString(),
                run.path("standIn").asBoolean() ? " (STAND-IN models: these numbers say nothing about real ones)" : "");
        out.println("  solved    " + solved(s));
        if (s.path("ended").asInt() > 0) {
            out.printf(Locale.ROOT, "  per case  %s to end (median), %s (90th percentile); grandpa busy %.1f s; coder tokens "
                            + "%,.0f; recoveries %.2f; re-plans %.2f; cost %.2f%n", seconds(s.path("medianSecondsToDone").asDouble()),
                    seconds(s.path("p90SecondsToDone").asDouble()), s.path("grandpaSecondsPerCase").asDouble(),
                    s.path("coderTokensPerCase").asDouble(), s.path("recoveriesPerCase").asDouble(),
                    s.path("replansPerCase").asDouble(), s.path("costPerCase").asDouble());
        }
    }

    static void cases(PrintWriter out, JsonNode run) {
        out.printf("  %-24s %-4s %-9s %-8s %8s  %s%n", "CASE", "REP", "STATUS", "TASK", "SECONDS", "WHY NOT SOLVED");
        for (JsonNode r : run.path("results")) {
            String task = r.path("taskId").isNull() || r.path("taskId").isMissingNode() ? "-"
                    : r.path("taskId").asString().substring(0, 8);
            JsonNode m = r.path("measures");
            out.printf("  %-24s %-4d %-9s %-8s %8s  %s%n", r.path("caseId").asString(), r.path("repetition").asInt() + 1,
                    r.path("status").asString(), task, m.isNull() || m.isMissingNode() ? "-"
                            : String.format(Locale.ROOT, "%.1f", m.path("secondsToDone").asDouble()),
                    r.path("reason").asString("").lines().findFirst().orElse(""));
        }
    }

    /** "7 of 12 (58.3 %; 95 % interval 32.0-80.7 %)", or that nothing has ended yet. */
    static String solved(JsonNode summary) {
        JsonNode rate = summary.path("rate");
        if (rate.isNull() || rate.isMissingNode()) {
            return "no case has ended yet";
        }
        int solved = rate.path("solved").asInt();
        int cases = rate.path("cases").asInt();
        return String.format(Locale.ROOT, "%d of %d (%.1f %%; 95 %% interval %.1f-%.1f %%)", solved, cases,
                100.0 * solved / cases, 100 * rate.path("low").asDouble(), 100 * rate.path("high").asDouble());
    }

    static String seconds(double s) {
        if (s < 90) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return whole < 3600 ? String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60)
                : String.format(Locale.ROOT, "%dh%02dm", whole / 3600, whole % 3600 / 60);
    }
}
