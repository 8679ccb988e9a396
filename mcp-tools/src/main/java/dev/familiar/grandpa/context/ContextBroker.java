package dev.familiar.grandpa.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every role's source at once, each under its own time limit, fuses their answers into one ranking
 * ({@link RankFusion}) and keeps the best items that fit the budget, counted in the reading model's
 * tokens. What is left out is recorded with its reason (budget, time, duplicate); a source that fails
 * adds a problem instead of failing the task.
 */
public final class ContextBroker {
    private final List<ContextRole> roles;
    private final TokenCounter counter;

    public ContextBroker(List<ContextRole> roles, TokenCounter counter) {
        this.roles = List.copyOf(roles);
        this.counter = counter;
    }

    public boolean hasRoles() {
        return !roles.isEmpty();
    }

    public List<ContextRole> roles() {
        return roles;
    }

    /** A broker that asks one of these roles only (a lookup grandpa asked for while planning). */
    public ContextBroker only(String role) {
        return new ContextBroker(roles.stream().filter(r -> r.name().equals(role)).toList(), counter);
    }

    /** The pack for this query within {@code budget} tokens, counted by the broker's counter (grandpa's model). */
    public ContextPack gather(ContextQuery query, int budget) {
        return gather(query, budget, counter);
    }

    /** ... counted by this counter: the tokenizer of the model that reads the pack (a coder's). */
    public ContextPack gather(ContextQuery query, int budget, TokenCounter reader) {
        var answers = new ArrayList<List<ContextItem>>();
        var cuts = new ArrayList<ContextPack.Cut>();
        var problems = new ArrayList<String>();
        try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
            var asked = new ArrayList<ContextRole>();
            var futures = new ArrayList<Future<List<ContextItem>>>();
            for (ContextRole role : roles) {
                Map<String, Object> arguments = role.arguments().fill(query);
                if (!arguments.isEmpty()) {
                    asked.add(role);
                    futures.add(calls.submit(() -> role.source().find(role.name(), arguments)));
                }
            }
            long start = System.nanoTime();
            for (int i = 0; i < asked.size(); i++) {
                ContextRole role = asked.get(i);
                try {
                    long left = role.timeout().toNanos() - (System.nanoTime() - start);
                    answers.add(within(role, futures.get(i).get(Math.max(0, left), TimeUnit.NANOSECONDS), cuts));
                } catch (TimeoutException e) {
                    futures.get(i).cancel(true);
                    cuts.add(new ContextPack.Cut(role.name(), null, ContextPack.Reason.TIME, String.format(Locale.ROOT,
                            "%s gave no answer within %d ms", role.source().describe(), role.timeout().toMillis())));
                } catch (ExecutionException e) {
                    problems.add(role.name() + ": " + role.source().describe() + " failed: " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problems.add(role.name() + ": interrupted");
                    break;
                }
            }
            calls.shutdownNow(); // a late source is not waited for
        }
        return pack(query.describe(), answers, cuts, problems, budget, reader);
    }

    /** A role's answer up to its own share of the pack (estimated: the fused pack is counted exactly). */
    private static List<ContextItem> within(ContextRole role, List<ContextItem> answer, List<ContextPack.Cut> cuts) {
        var kept = new ArrayList<ContextItem>();
        int tokens = 0;
        for (ContextItem item : answer) {
            tokens += TokenCounter.estimate(item.rendered());
            if (tokens <= role.maxTokens()) {
                kept.add(item);
            } else {
                cuts.add(new ContextPack.Cut(role.name(), item.reference(), ContextPack.Reason.BUDGET,
                        "past the role's share of " + role.maxTokens() + " tokens"));
            }
        }
        return kept;
    }

    private ContextPack pack(String query, List<List<ContextItem>> answers, List<ContextPack.Cut> cuts,
                             List<String> problems, int budget, TokenCounter reader) {
        RankFusion.Fused fused = RankFusion.fuse(answers);
        cuts.addAll(fused.duplicates());
        var entries = new ArrayList<ContextPack.Entry>();
        var counted = new Counted(reader);
        int header = counted.tokens(ContextPack.HEADER);
        int used = header;
        for (RankFusion.Scored scored : fused.ranked()) {
            int tokens = counted.tokens(scored.item().rendered());
            if (used + tokens > budget) {
                cuts.add(new ContextPack.Cut(scored.item().source(), scored.item().reference(), ContextPack.Reason.BUDGET,
                        tokens + " tokens would pass the pack's " + budget + " (" + used + " used)"));
                continue;
            }
            used += tokens;
            entries.add(new ContextPack.Entry(scored.item(), scored.score(), tokens));
        }
        return new ContextPack(query, entries, cuts, problems, counted.by, budget, entries.isEmpty() ? 0 : used);
    }

    /** Counts with the model's tokenizer while it answers; from the first time it cannot, estimates and says so. */
    private static final class Counted {
        final TokenCounter counter;
        String by;
        boolean failed;

        Counted(TokenCounter counter) {
            this.counter = counter;
            this.by = counter.name();
        }

        int tokens(String text) {
            OptionalInt count = failed ? OptionalInt.empty() : counter.count(text);
            if (count.isPresent()) {
                return count.getAsInt();
            }
            if (counter != TokenCounter.ESTIMATE && !failed) {
                by = TokenCounter.ESTIMATE.name() + " (" + counter.name() + " could not be asked)";
                failed = true;
            }
            return TokenCounter.estimate(text);
        }
    }
}
