package dev.familiar.grandpa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "compare", mixinStandardHelpOptions = true, description = {"Two runs of one suite side by side: solved "
        + "(with the 95 %% interval), time to end, grandpa's busy seconds, coder tokens, recoveries; then case by case, with "
        + "McNemar's exact test over the cases both ran saying whether the difference is more than chance."})
final class EvalCompareCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    @Parameters(index = "0", paramLabel = "FIRST", description = "a run's label, or the start of its id")
    String first;

    @Parameters(index = "1", paramLabel = "SECOND", description = "the other run")
    String second;

    EvalCompareCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode c = api().get("/api/evals/compare?first=" + ApiClient.encode(first) + "&second=" + ApiClient.encode(second));
        if (output.printed(console, c)) {
            return 0;
        }
        PrintWriter out = console.out();
        JsonNode a = c.path("first");
        JsonNode b = c.path("second");
        row(out, "", a, b, s -> s.path("label").asString());
        row(out, "setup", a, b, s -> s.path("setup").isString() ? s.path("setup").asString() : "as configured");
        row(out, "models", a, b, s -> s.path("standIn").asBoolean() ? "STAND-IN" : "real");
        row(out, "solved", a, b, EvalPrinter::solved);
        row(out, "time to end, median", a, b, s -> EvalPrinter.seconds(s.path("medianSecondsToDone").asDouble()));
        row(out, "time to end, p90", a, b, s -> EvalPrinter.seconds(s.path("p90SecondsToDone").asDouble()));
        row(out, "grandpa busy a case", a, b, s -> EvalPrinter.seconds(s.path("grandpaSecondsPerCase").asDouble()));
        row(out, "coder tokens a case", a, b, s -> String.format(Locale.ROOT, "%,.0f", s.path("coderTokensPerCase").asDouble()));
        row(out, "recoveries a case", a, b, s -> String.format(Locale.ROOT, "%.2f", s.path("recoveriesPerCase").asDouble()));
        row(out, "re-plans a case", a, b, s -> String.format(Locale.ROOT, "%.2f", s.path("replansPerCase").asDouble()));
        row(out, "cost a case", a, b, s -> String.format(Locale.ROOT, "%.2f", s.path("costPerCase").asDouble()));
        JsonNode d = c.path("difference");
        out.printf(Locale.ROOT, "%nOver the %d cases both ended: %d solved by %s alone, %d by %s alone; McNemar's exact test "
                        + "p = %.4f: %s%n", c.path("paired").asInt(), d.path("onlyFirst").asInt(), a.path("label").asString(),
                d.path("onlySecond").asInt(), b.path("label").asString(), d.path("p").asDouble(),
                c.path("significant").asBoolean() ? "a significant difference (p < 0.05)"
                        : "no significant difference (it may be chance)");
        out.printf("%n  %-24s %-4s %-12s %-12s%n", "CASE", "REP", a.path("label").asString(), b.path("label").asString());
        for (JsonNode r : c.path("cases")) {
            out.printf("  %-24s %-4d %-12s %-12s%n", r.path("caseId").asString(), r.path("repetition").asInt() + 1,
                    verdict(r.path("first")), verdict(r.path("second")));
        }
        out.flush();
        return 0;
    }

    private static void row(PrintWriter out, String name, JsonNode a, JsonNode b, Function<JsonNode, String> value) {
        out.printf("%-22s %-44s %s%n", name, value.apply(a), value.apply(b));
    }

    private static String verdict(JsonNode solved) {
        return solved.isBoolean() ? (solved.asBoolean() ? "solved" : "not solved") : "-";
    }
}
