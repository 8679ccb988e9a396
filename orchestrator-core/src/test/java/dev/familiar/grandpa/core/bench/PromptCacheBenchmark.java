package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.config.GrandpaProperties;
import dev.familiar.grandpa.core.demo.StandInGrandpa;
import dev.familiar.grandpa.core.grandpa.GrandpaModel;
import dev.familiar.grandpa.core.grandpa.ModelCall;
import dev.familiar.grandpa.core.grandpa.Prompts;
import dev.familiar.grandpa.runtime.standin.Reply;
import dev.familiar.grandpa.runtime.standin.StandInLlamaServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A 40-request orchestration session (plan, three judgements and an integration for each of eight
 * tasks) against a stand-in llama-server that counts cached tokens as the longest common token prefix
 * with what its slot last evaluated, and a model that thinks aloud ({@code <think>...</think>} before
 * each answer). Prints the share of prompt tokens served from the cache after the first request, with
 * the reasoning kept in the history exactly as written and with it dropped (the seed's way to lose the
 * cache). Target: at least 95 % kept.
 */
public final class PromptCacheBenchmark {
    public static void main(String[] args) {
        for (GrandpaModel.Reasoning policy : GrandpaModel.Reasoning.values()) {
            Session s = run(policy);
            System.err.printf(Locale.ROOT, "reasoning %s: %d requests, %,d prompt tokens after the first, %,d from the cache: "
                            + "%.1f %% reused, %,d evaluated again; %d request(s) re-evaluated more than half their prompt%n",
                    policy, s.calls().size(), s.promptTokens(), s.cachedTokens(), 100 * s.reuse(),
                    s.promptTokens() - s.cachedTokens(), s.misses());
        }
    }

    public record Session(List<ModelCall> calls) {
        List<ModelCall> afterFirst() {
            return calls.subList(1, calls.size());
        }

        public long promptTokens() {
            return afterFirst().stream().mapToLong(ModelCall::promptTokens).sum();
        }

        public long cachedTokens() {
            return afterFirst().stream().mapToLong(ModelCall::cachedTokens).sum();
        }

        public double reuse() {
            return (double) cachedTokens() / promptTokens();
        }

        /** Requests that found less than half their prompt in the cache. */
        public long misses() {
            return afterFirst().stream().filter(c -> c.cachedTokens() * 2 < c.promptTokens()).count();
        }
    }

    public static Session run(GrandpaModel.Reasoning policy) {
        var thinking = new StandInGrandpa();
        try (var server = StandInLlamaServer.start("grandpa", call -> {
            Reply reply = thinking.answer(call);
            return Reply.text("<think>\nThe request asks for " + (call.schemaName() == null ? "a summary" : call.schemaName())
                    + ". I read the goal, check what is known and answer in the form asked for.\n</think>\n"
                    + reply.content());
        })) {
            var calls = new ArrayList<ModelCall>();
            var model = new GrandpaModel(new GrandpaProperties.Model(server.baseUrl(), "grandpa", null,
                    Duration.ofSeconds(10), 0, 1_000_000, policy, 0), () -> null, calls::add);
            for (int t = 0; t < 8; t++) {
                UUID task = UUID.randomUUID();
                String goal = "Goal:\nAdd rate limiting to service number " + t + " so that a client gets 429 after 100 "
                        + "requests a minute, with tests and a note in the operations guide.\n";
                model.ask(task, "plan", Prompts.PLAN + goal + "\nTitle: rate limiting " + t
                        + "\nCapabilities of the coders: code, docs, tests\nAt most 12 subtasks.\nPlan version: 1\n",
                        dev.familiar.grandpa.core.planning.Planner.SCHEMA);
                for (String subtask : List.of("impl: Implement the change", "tests: Write the tests",
                        "docs: Document and integrate")) {
                    model.ask(task, "judge", Prompts.JUDGE + goal + "\nSubtask " + subtask + "\n\nOutput to judge:\n"
                            + "public final class RateLimiter {\n    // " + subtask + " for service " + t + "\n}\n",
                            dev.familiar.grandpa.core.evaluation.Evaluator.SCHEMA);
                }
                model.ask(task, "integrate", Prompts.INTEGRATE + goal + "\nAccepted subtask outputs:\n(three outputs)\n", null);
            }
            return new Session(calls);
        }
    }
}
