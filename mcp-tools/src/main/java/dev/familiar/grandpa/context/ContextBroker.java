package dev.familiar.grandpa.context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every source at once, each under its own time limit and token budget, and makes one pack of
 * what came back in time: an item whose text another item already carries is left out, and each
 * source keeps its best items up to its budget. A source that fails or is late adds a problem to the
 * pack instead of failing the task. Closing the broker closes its sources (their server processes).
 */
public final class ContextBroker implements AutoCloseable {
    /** A source with its limits. */
    public record Budgeted(ContextSource source, Duration timeout, int maxTokens) {}

    private final List<Budgeted> sources;

    public ContextBroker(List<Budgeted> sources) {
        this.sources = List.copyOf(sources);
    }

    public boolean hasSources() {
        return !sources.isEmpty();
    }

    public ContextPack gather(String query) {
        var items = new ArrayList<ContextItem>();
        var problems = new ArrayList<String>();
        try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = new ArrayList<Future<List<ContextItem>>>();
            for (Budgeted b : sources) {
                answers.add(calls.submit(() -> b.source().find(query)));
            }
            long start = System.nanoTime();
            var seen = new HashSet<String>();
            for (int i = 0; i < sources.size(); i++) {
                Budgeted b = sources.get(i);
                Future<List<ContextItem>> answer = answers.get(i);
                try {
                    long left = b.timeout().toNanos() - (System.nanoTime() - start);
                    int tokens = 0;
                    for (ContextItem item : answer.get(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                        if (tokens + item.tokens() > b.maxTokens()) {
                            break;
                        }
                        if (seen.add(item.text().strip())) {
                            items.add(item);
                            tokens += item.tokens();
                        }
                    }
                } catch (TimeoutException e) {
                    answer.cancel(true);
                    problems.add(String.format(Locale.ROOT, "%s: no answer within %d ms", b.source().name(),
                            b.timeout().toMillis()));
                } catch (ExecutionException e) {
                    problems.add(b.source().name() + ": " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problems.add(b.source().name() + ": interrupted");
                    break;
                }
            }
            calls.shutdownNow(); // a late source is not waited for
        }
        return new ContextPack(query, items, problems);
    }

    @Override
    public void close() {
        for (Budgeted b : sources) {
            if (b.source() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // a server process that does not stop cleanly is left to the operating system
                }
            }
        }
    }
}
