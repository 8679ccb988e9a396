package dev.familiar.grandpa.cli;

import java.util.LinkedHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "run", mixinStandardHelpOptions = true, description = {"Runs every case of a suite as a real task through "
        + "the service, a few at a time, and follows it with a progress bar and the time left; the run goes on in the "
        + "service if this command stops (follow it again with 'eval show' or 'eval run --follow').",
        "Exit codes: 0 the run finished, 1 it was cancelled."})
final class EvalRunCommand extends ApiCommand {
    private static final int BAR = 30;

    @Mixin
    JsonOutput output;

    @Option(names = "--suite", description = "the suite's name, or its folder (one the service's grandpa.evals.suites names)")
    String suite;

    @Option(names = "--label", description = "the run's name, to show and compare it by (default: the suite and the time)")
    String label;

    @Option(names = "--repeat", description = "how many times each case runs (default 1)")
    Integer repeat;

    @Option(names = "--parallel", description = "how many cases at a time (default: the service's grandpa.evals.parallel)")
    Integer parallel;

    @Option(names = "--setup", description = "the named setup to run under (grandpa.evals.setups: another model server, "
            + "only some coders, no first judge); the service switches to it before the run's cases start and back after")
    String setup;

    @Option(names = "--detach", description = "start the run and return without following it")
    boolean detach;

    @Option(names = "--follow", paramLabel = "RUN", description = "follow a run that was started before, instead of starting one")
    String follow;

    @Option(names = "--poll", description = "seconds between looks at the run (default 2)")
    double poll = 2;

    EvalRunCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        ApiClient api = api();
        JsonNode run;
        if (follow != null) {
            run = api.get("/api/evals/runs/" + ApiClient.encode(follow));
        } else {
            if (suite == null) {
                throw new IllegalArgumentException("name the suite: --suite <name or folder> (grandpa eval ls lists them)");
            }
            var body = new LinkedHashMap<String, Object>();
            body.put("suite", suite);
            body.put("label", label);
            body.put("repeat", repeat);
            body.put("parallel", parallel);
            body.put("setup", setup);
            run = api.post("/api/evals/runs", body);
        }
        String id = run.path("id").asString();
        if (!detach) {
            String shown = progress(run, "");
            while (run.path("status").asString().equals("RUNNING")) {
                Thread.sleep((long) (poll * 1000));
                run = api.get("/api/evals/runs/" + id);
                shown = progress(run, shown);
            }
            if (console.terminal() && !output.json) {
                console.out().println();
            }
        }
        if (output.printed(console, run)) {
            return exit(run);
        }
        if (detach) {
            console.out().println("started " + run.path("label").asString() + " (" + id.substring(0, 8) + "): follow it with "
                    + "grandpa eval run --follow " + run.path("label").asString());
        } else {
            EvalPrinter.summary(console.out(), run);
            EvalPrinter.cases(console.out(), run);
        }
        console.out().flush();
        return exit(run);
    }

    /** Shows how far the run is (redrawn in place on a terminal, a line per change otherwise); returns what it showed. */
    private String progress(JsonNode run, String shown) {
        if (output.json) {
            return shown;
        }
        JsonNode s = run.path("summary");
        int cases = s.path("cases").asInt();
        int ended = s.path("ended").asInt();
        int solved = s.path("rate").path("solved").asInt(0);
        JsonNode left = run.path("estimatedSecondsLeft");
        String line = String.format("%d/%d ended, %d solved, %s", ended, cases, solved,
                left.isNumber() ? "about " + EvalPrinter.seconds(left.asDouble()) + " left" : "time left not known yet");
        if (console.terminal()) {
            int filled = cases == 0 ? 0 : ended * BAR / cases;
            console.out().print("\r[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + line + "   ");
            console.out().flush();
        } else if (!line.equals(shown)) {
            console.out().println(line);
            console.out().flush();
        }
        return line;
    }

    private static int exit(JsonNode run) {
        return switch (run.path("status").asString()) {
            case "FINISHED" -> 0;
            case "RUNNING" -> 0; // detached
            default -> GrandpaCli.BLOCKED;
        };
    }
}
