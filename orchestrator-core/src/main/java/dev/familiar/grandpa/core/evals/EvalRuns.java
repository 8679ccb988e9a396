package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.store.eval.EvalResult;
import dev.familiar.grandpa.store.eval.EvalRun;
import dev.familiar.grandpa.store.eval.EvalRunStatus;
import dev.familiar.grandpa.store.eval.EvalStore;
import dev.familiar.grandpa.store.jdbc.JsonColumns;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/** Bake-off runs as a person starts, finds, stops and resumes them; {@link EvalRunner} works them. */
final class EvalRuns {
    static final String LABEL = "[A-Za-z0-9][A-Za-z0-9._-]{0,47}";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What a new run is: a suite (by name or configured folder) and how to run it. */
    record Start(String suite, String label, Integer repeat, Integer parallel, String setup) {}

    private final EvalStore store;
    private final SuiteFolders suites;
    private final EvalRunner runner;
    private final EvalSettings settings;
    private final ModelSettings model;
    private final BackendRegistry backends;
    private final TransactionTemplate tx;
    private final SetupSwitch setups;

    EvalRuns(EvalStore store, SuiteFolders suites, EvalRunner runner, EvalSettings settings, ModelSettings model,
             BackendRegistry backends, TransactionTemplate tx, SetupSwitch setups) {
        this.setups = setups;
        this.store = store;
        this.suites = suites;
        this.runner = runner;
        this.settings = settings;
        this.model = model;
        this.backends = backends;
        this.tx = tx;
    }

    SuiteFolders suites() {
        return suites;
    }

    /**
     * Stores the run with its cases, all waiting; the runner starts them at its next look.
     *
     * @throws IllegalArgumentException what is wrong with the request (the suite, the label, the numbers)
     * @throws IllegalStateException    the label is taken
     */
    EvalRun start(Start request) {
        if (request.suite() == null || request.suite().isBlank()) {
            throw new IllegalArgumentException("suite: name a suite, one of " + suites.available().keySet());
        }
        Suite suite = suites.find(request.suite());
        String label = request.label() == null || request.label().isBlank()
                ? suite.name() + "-" + STAMP.format(Instant.now()) : request.label();
        if (!label.matches(LABEL)) {
            throw new IllegalArgumentException("label: letters, digits, '.', '_' and '-', at most 48, not '" + label + "'");
        }
        int repeat = request.repeat() == null ? 1 : request.repeat();
        int parallel = request.parallel() == null ? settings.parallel() : request.parallel();
        if (repeat < 1 || repeat > 20 || parallel < 1 || parallel > 64) {
            throw new IllegalArgumentException("repeat must be 1 to 20 and parallel 1 to 64");
        }
        String setup = request.setup() == null || request.setup().isBlank() ? null : request.setup();
        if (setup != null) {
            setups.problem(setup).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
        if (store.findByLabel(label).isPresent()) {
            throw new IllegalStateException("a run is labelled '" + label + "' already: choose another label");
        }
        // as configured now; a setup's are asked again once the service is in it
        RunModels models = RunModels.ask(model.name(), model.baseUrl(), backends, name -> true);
        var run = new EvalRun(UUID.randomUUID(), label, suite.name(), suite.folder().toAbsolutePath().normalize().toString(),
                setup, repeat, parallel, EvalRunStatus.RUNNING, models.anyStandIn(), JsonColumns.write(models.described()),
                Instant.now(), null);
        var cases = new ArrayList<EvalStore.NewCase>();
        for (int i = 0; i < suite.cases().size(); i++) {
            for (int r = 0; r < repeat; r++) {
                cases.add(new EvalStore.NewCase(suite.cases().get(i).id(), r, i));
            }
        }
        tx.executeWithoutResult(status -> store.create(run, cases));
        return store.find(run.id()).orElseThrow();
    }

    /** The run of this label, or whose id starts so (at least 4 characters); empty for none or several. */
    Optional<EvalRun> find(String ref) {
        Optional<EvalRun> byLabel = store.findByLabel(ref);
        if (byLabel.isPresent() || ref.length() < 4) {
            return byLabel;
        }
        List<EvalRun> byId = store.withIdPrefix(ref, 2);
        return byId.size() == 1 ? Optional.of(byId.getFirst()) : Optional.empty();
    }

    List<EvalRun> list(int limit) {
        return store.list(limit);
    }

    List<EvalResult> results(EvalRun run) {
        return store.results(run.id());
    }

    Optional<String> cancel(EvalRun run) {
        return runner.cancel(run);
    }

    Optional<String> resume(EvalRun run) {
        return runner.resume(run);
    }

    /** Seconds left, estimated from the cases that ended (their mean time, so many at a time); null before. */
    static Double secondsLeft(EvalRun run, List<EvalResult> results) {
        var ended = results.stream().filter(EvalResult::ended).toList();
        if (ended.isEmpty() || run.status() != EvalRunStatus.RUNNING) {
            return ended.size() == results.size() ? 0.0 : null;
        }
        double mean = ended.stream().mapToDouble(r -> r.measures().secondsToDone()).average().orElse(0);
        long left = results.size() - ended.size();
        return Math.ceil((double) left / run.parallel()) * mean;
    }
}
