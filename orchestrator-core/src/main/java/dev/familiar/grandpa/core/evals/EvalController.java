package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.store.eval.EvalResult;
import dev.familiar.grandpa.store.eval.EvalRun;
import dev.familiar.grandpa.store.jdbc.JsonColumns;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/evals}: the suites there are and the bake-off runs (start, look at, cancel, resume) and two
 * runs compared. A run is found by its label or the start of its id.
 */
@RestController
@RequestMapping("/api/evals")
class EvalController {
    public record StartRequest(@Size(max = 1000) String suite, @Size(max = 48) String label, @Min(1) @Max(20) Integer repeat,
                               @Min(1) @Max(64) Integer parallel, @Size(max = 64) String setup) {}

    public record SuiteView(String name, String folder) {}

    public record Overview(List<SuiteView> suites, List<RunLine> runs) {}

    public record RunLine(UUID id, Instant createdAt, RunSummary summary) {}

    public record ResultView(String caseId, int repetition, String status, UUID taskId, int tries, String taskStatus,
                             String reason, String heldOutOutput, EvalResult.CaseMeasures measures) {}

    public record RunView(UUID id, String label, String suite, String suiteFolder, String setup, String status, int repeats,
                          int parallel, boolean standIn, Map<String, Object> models, Instant createdAt, Instant finishedAt,
                          RunSummary summary, Double estimatedSecondsLeft, List<ResultView> results) {}

    private final EvalRuns runs;

    EvalController(EvalRuns runs) {
        this.runs = runs;
    }

    @GetMapping
    Overview overview(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        var suites = runs.suites().available().entrySet().stream()
                .map(e -> new SuiteView(e.getKey(), e.getValue().toString())).toList();
        var lines = runs.list(limit).stream().map(r -> new RunLine(r.id(), r.createdAt(), RunSummary.of(r, runs.results(r))))
                .toList();
        return new Overview(suites, lines);
    }

    @PostMapping("/runs")
    ResponseEntity<RunView> start(@RequestBody @jakarta.validation.Valid StartRequest request) {
        try {
            EvalRun run = runs.start(new EvalRuns.Start(request.suite(), request.label(), request.repeat(), request.parallel(),
                    request.setup()));
            return ResponseEntity.status(HttpStatus.CREATED).body(view(run));
        } catch (IllegalArgumentException e) {
            throw problem(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            throw problem(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    @GetMapping("/runs/{ref}")
    RunView run(@PathVariable String ref) {
        return view(find(ref));
    }

    @PostMapping("/runs/{ref}/cancel")
    RunView cancel(@PathVariable String ref) {
        return act(ref, runs::cancel);
    }

    @PostMapping("/runs/{ref}/resume")
    RunView resume(@PathVariable String ref) {
        return act(ref, runs::resume);
    }

    /** Does it to the run; a 409 with why it could not. */
    private RunView act(String ref, Function<EvalRun, Optional<String>> action) {
        action.apply(find(ref)).ifPresent(why -> {
            throw problem(HttpStatus.CONFLICT, why);
        });
        return view(find(ref));
    }

    /** The first run against the second, case by case. */
    @GetMapping("/compare")
    Comparison compare(@RequestParam String first, @RequestParam String second) {
        EvalRun a = find(first);
        EvalRun b = find(second);
        if (!a.suite().equals(b.suite())) {
            throw problem(HttpStatus.BAD_REQUEST, "runs " + a.label() + " and " + b.label() + " ran different suites ("
                    + a.suite() + ", " + b.suite() + "): only runs of one suite compare case by case");
        }
        return Comparison.of(a, runs.results(a), b, runs.results(b));
    }

    private EvalRun find(String ref) {
        return runs.find(ref).orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "no bake-off run is labelled '" + ref
                + "' or has an id starting so (one run, at least 4 characters)"));
    }

    private RunView view(EvalRun run) {
        List<EvalResult> results = runs.results(run);
        var lines = results.stream().map(r -> new ResultView(r.caseId(), r.repetition(), r.status().name(), r.taskId(),
                r.tries(), r.taskStatus(), r.reason(), r.heldOutOutput(), r.measures())).toList();
        return new RunView(run.id(), run.label(), run.suite(), run.suiteFolder(), run.setup(), run.status().name(),
                run.repeats(), run.parallel(), run.standIn(), JsonColumns.map(run.models()), run.createdAt(), run.finishedAt(),
                RunSummary.of(run, results), EvalRuns.secondsLeft(run, results), lines);
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
