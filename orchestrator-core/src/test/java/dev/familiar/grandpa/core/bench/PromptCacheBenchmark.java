package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.core.resident.Prompts;
import dev.familiar.grandpa.runtime.session.ModelCall;
import dev.familiar.grandpa.runtime.session.OutputLimits;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.runtime.session.ResidentSession;
import dev.familiar.grandpa.runtime.session.SessionSettings;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.ChatTemplate;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A 40-request orchestration session (plan, three judgements and an integration for each of eight
 * tasks) against a stand-in llama-server that counts cached tokens as the longest common token prefix
 * with what its slot last evaluated, and a model that thinks aloud ({@code <think>...</think>} before
 * each answer). Prints the share of prompt tokens served from the cache after the first request for
 * each way of sending the session:
 * <ul>
 * <li>a template that renders history as sent (PLAIN), reasoning kept or dropped;
 * <li>Qwen3's template (QWEN3: earlier answers lose their think block), through the chat API with the
 *     reasoning kept or dropped: the template re-renders the previous answer either way, so every
 *     request misses from there on, as the seed's did;
 * <li>Qwen3's template, but grandpa renders the prompt and sends it raw ({@code /completion}).
 * </ul>
 * Target: at least 95 % reused.
 */
public final class PromptCacheBenchmark {
    /** One way of sending the session. */
    public record Variant(ChatTemplate template, SessionSettings.Api api, SessionSettings.Reasoning reasoning) {
        @Override
        public String toString() {
            return template + " template, " + api + ", reasoning " + reasoning;
        }
    }

    public static final List<Variant> VARIANTS = List.of(
            new Variant(ChatTemplate.PLAIN, SessionSettings.Api.CHAT, SessionSettings.Reasoning.KEEP),
            new Variant(ChatTemplate.PLAIN, SessionSettings.Api.CHAT, SessionSettings.Reasoning.DROP),
            new Variant(ChatTemplate.QWEN3, SessionSettings.Api.CHAT, SessionSettings.Reasoning.KEEP),
            new Variant(ChatTemplate.QWEN3, SessionSettings.Api.CHAT, SessionSettings.Reasoning.DROP),
            new Variant(ChatTemplate.QWEN3, SessionSettings.Api.COMPLETION, SessionSettings.Reasoning.KEEP));

    public static void main(String[] args) {
        for (Variant variant : VARIANTS) {
            Session s = run(variant);
            System.err.printf(Locale.ROOT, "%s: %d requests, %,d prompt tokens after the first, %,d from the cache: "
                            + "%.1f %% reused, %,d evaluated again; %d request(s) missed part of what the slot held, "
                            + "%d re-evaluated more than half their prompt%n",
                    variant, s.calls().size(), s.promptTokens(), s.cachedTokens(), 100 * s.reuse(),
                    s.promptTokens() - s.cachedTokens(), s.cacheMisses(), s.misses());
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

        /**
         * Requests whose prompt did not start with all the slot held (the previous prompt and answer),
         * so the server evaluated some of it again: llama-server logs each as "Common part does not
         * match fully", the seed's 26 in 46.
         */
        public long cacheMisses() {
            long misses = 0;
            for (int i = 1; i < calls.size(); i++) {
                ModelCall previous = calls.get(i - 1);
                misses += calls.get(i).cachedTokens() < previous.promptTokens() + previous.predictedTokens() ? 1 : 0;
            }
            return misses;
        }
    }

    public static Session run(SessionSettings.Reasoning policy) {
        return run(new Variant(ChatTemplate.PLAIN, SessionSettings.Api.CHAT, policy));
    }

    public static Session run(Variant variant) {
        var thinking = new StandInGrandpa();
        try (var server = StandInLlamaServer.start("grandpa", call -> {
            Reply reply = thinking.answer(call);
            return Reply.text("<think>\nThe request asks for " + (call.schemaName() == null ? "a summary" : call.schemaName())
                    + ". I read the goal, check what is known and answer in the form asked for.\n</think>\n"
                    + reply.content());
        })) {
            server.setTemplate(variant.template());
            var calls = new ArrayList<ModelCall>();
            var model = new ResidentSession(new ModelSettings(server.baseUrl(), "grandpa", null,
                    Duration.ofSeconds(10), 0, 1_000_000, variant.reasoning(), 0, variant.api(),
                    dev.familiar.grandpa.runtime.client.PromptFormat.CHATML, OutputLimits.DEFAULT, null, null).session(0), () -> null,
                    calls::add);
            for (int t = 0; t < 8; t++) {
                UUID task = UUID.randomUUID();
                String goal = "Goal:\nAdd rate limiting to service number " + t + " so that a client gets 429 after 100 "
                        + "requests a minute, with tests and a note in the operations guide.\n";
                model.ask(task, Purpose.PLAN, Prompts.PLAN + goal + "\nTitle: rate limiting " + t
                        + "\nCapabilities of the coders: code, docs, tests\nAt most 12 subtasks.\nPlan version: 1\n",
                        dev.familiar.grandpa.core.planning.Planner.schema(java.util.Set.of("code", "docs", "tests"), 12));
                for (String subtask : List.of("impl: Implement the change", "tests: Write the tests",
                        "docs: Document and integrate")) {
                    model.ask(task, Purpose.JUDGE, Prompts.JUDGE + goal + "\nSubtask " + subtask + "\n\nOutput to judge:\n"
                            + "public final class RateLimiter {\n    // " + subtask + " for service " + t + "\n}\n",
                            dev.familiar.grandpa.core.evaluation.Evaluator.SCHEMA);
                }
                model.ask(task, Purpose.INTEGRATE, Prompts.INTEGRATE + goal + "\nAccepted subtask outputs:\n(three outputs)\n", null);
            }
            return new Session(calls);
        }
    }
}
