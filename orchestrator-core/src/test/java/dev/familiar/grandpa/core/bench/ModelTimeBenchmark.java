package dev.familiar.grandpa.core.bench;

import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.ChatTemplate;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import dev.familiar.grandpa.testkit.standin.Speeds;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * How grandpa spends its resident model, at the seed's speeds: a stand-in llama-server with Qwen3's
 * template that takes the time GLM-5.1 took on the user's server (prompt processing by prompt size,
 * generation 17.9 tokens a second falling to 16.7 at 53k of context; see {@link Speeds#seed}) and
 * writes a short reasoning block before every answer, as a thinking model does; coders that answer
 * 2,000 tokens at 60 tokens a second. {@code tasks} tasks (default 10) are submitted at once with
 * {@code coder-slots} coder slots (default 5); each plans three subtasks. Reported: the model's busy
 * seconds per task by purpose (from the server's own timings), its prompt-cache reuse, and tasks an
 * hour. Time runs {@code time-scale} times faster than the simulated clock (default 20); every figure
 * is in simulated time.
 *
 * <p>Arguments: {@code tasks=N}, {@code coder-slots=N}, {@code slots=N} (grandpa's sessions, one per
 * server slot; default 1), {@code time-scale=X}, {@code coder-tokens=N} (default 2000),
 * {@code first-judge=F}: a first judge (a second coder model, two slots, 2,000 prompt and 60 generated
 * tokens a second) that is sure of a fraction F of its verdicts (default 0: none configured).
 */
public final class ModelTimeBenchmark {
    public static void main(String[] args) throws Exception {
        int tasks = 10;
        int coderSlots = 5;
        int slots = 1;
        double scale = 20;
        int coderTokens = 2000;
        double sure = 0;
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("tasks=")) {
                tasks = Integer.parseInt(value);
            } else if (arg.startsWith("coder-slots=")) {
                coderSlots = Integer.parseInt(value);
            } else if (arg.startsWith("slots=")) {
                slots = Integer.parseInt(value);
            } else if (arg.startsWith("time-scale=")) {
                scale = Double.parseDouble(value);
            } else if (arg.startsWith("coder-tokens=")) {
                coderTokens = Integer.parseInt(value);
            } else if (arg.startsWith("first-judge=")) {
                sure = Double.parseDouble(value);
            }
        }
        var dir = Files.createTempDirectory("grandpa-model-time-pg");
        var thinking = new StandInGrandpa();
        int coderBytes = coderTokens * 4;
        try (var db = EmbeddedDatabase.start(dir, 0, true);
             var model = StandInLlamaServer.start("stand-in-grandpa", call -> {
                 Reply answer = thinking.answer(call);
                 return Reply.text("<think>\nThe request asks for " + (call.schemaName() == null ? "a summary"
                         : call.schemaName()) + ". I read the goal and what is known, weigh what the coders can do, "
                         + "and answer in the form asked for, briefly.\n</think>\n\n" + answer.content());
             });
             var coder = StandInLlamaServer.start("coder", call -> Reply.text(PipelineBenchmark.sized(StandInCoder.deliverable("coder", call),
                     coderBytes)));
             var judge = StandInLlamaServer.start("judge", firstJudge(sure))) {
            model.setTemplate(ChatTemplate.QWEN3);
            model.setSpeeds(Speeds.seed(scale));
            model.setContext(65_536 / slots, slots);
            coder.setSpeeds(Speeds.coder(2_000, 60, scale));
            judge.setSpeeds(Speeds.coder(2_000, 60, scale));
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
            properties.put("logging.level.root", "WARN");
            properties.put("grandpa.model.base-url", model.baseUrl());
            properties.put("grandpa.model.name", "stand-in-grandpa");
            properties.put("grandpa.model.timeout", "30m");
            for (int s = 0; s < slots && slots > 1; s++) {
                properties.put("grandpa.model.slots[" + s + "]", String.valueOf(s));
            }
            properties.put("grandpa.backends[0].name", "coder");
            properties.put("grandpa.backends[0].base-url", coder.baseUrl());
            properties.put("grandpa.backends[0].slots", String.valueOf(coderSlots));
            properties.put("grandpa.backends[0].timeout", "30m");
            if (sure > 0) {
                properties.put("grandpa.backends[1].name", "judge");
                properties.put("grandpa.backends[1].base-url", judge.baseUrl());
                properties.put("grandpa.backends[1].slots", "2");
                properties.put("grandpa.backends[1].timeout", "30m");
                properties.put("grandpa.backends[1].capabilities[0]", "review");
                properties.put("grandpa.first-judge.backend", "judge");
                properties.put("grandpa.first-judge.without-checks", "true");
            }
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            try (var grandpa = Grandpa.start(properties)) {
                long start = System.nanoTime();
                var ids = new ArrayList<UUID>();
                for (int i = 0; i < tasks; i++) {
                    ids.add(grandpa.submit("Add rate limiting to service " + i + ": a client gets 429 after 100 requests "
                            + "a minute, with tests and a note in the operations guide. " + UUID.randomUUID()));
                }
                await("all tasks done").atMost(Duration.ofMinutes(40)).pollInterval(Duration.ofMillis(200))
                        .until(() -> done(jdbc, ids) == ids.size());
                double wall = (System.nanoTime() - start) / 1e9 * scale;
                report(jdbc, ids, wall, tasks, coderSlots, slots, scale);
                if (sure > 0) {
                    reportFirstJudge(jdbc, ids, tasks, scale);
                }
            }
        }
    }

    private static long done(JdbcClient jdbc, List<UUID> ids) {
        return jdbc.sql("select count(*) from tasks where status in ('DONE', 'BLOCKED') and id = any(:ids)")
                .param("ids", ids.toArray(UUID[]::new)).query(Long.class).single();
    }

    private static void report(JdbcClient jdbc, List<UUID> ids, double wall, int tasks, int coderSlots, int slots,
                               double scale) {
        var rows = jdbc.sql("""
                        select data ->> 'purpose', count(*),
                               sum((data ->> 'promptMs')::float + (data ->> 'predictedMs')::float) / 1000,
                               sum((data ->> 'promptTokens')::bigint), sum((data ->> 'cachedTokens')::bigint),
                               sum((data ->> 'predictedTokens')::bigint)
                        from task_events where type = 'model.call' and task_id = any(:ids) group by 1 order by 1""")
                .param("ids", ids.toArray(UUID[]::new))
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6)}).list();
        long blocked = jdbc.sql("select count(*) from tasks where status = 'BLOCKED' and id = any(:ids)")
                .param("ids", ids.toArray(UUID[]::new)).query(Long.class).single();
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; %d tasks at once, %d coder slots, %d grandpa session(s), "
                + "time %.0fx%n", Runtime.getRuntime().availableProcessors(), Runtime.version(), tasks, coderSlots, slots, scale);
        double busy = 0;
        long prompt = 0;
        long cached = 0;
        for (Object[] r : rows) {
            System.out.printf(Locale.ROOT, "  %-9s %3d calls, busy %7.1f s a task, %6.0f tokens generated a task%n", r[0], r[1],
                    (double) r[2] / tasks, (long) r[5] / (double) tasks);
            busy += (double) r[2];
            prompt += (long) r[3];
            cached += (long) r[4];
        }
        System.out.printf(Locale.ROOT, "grandpa busy %.1f s a task; prompt-cache reuse %.1f %% (%d of %d prompt tokens); "
                + "%d blocked%n", busy / tasks, 100.0 * cached / Math.max(1, prompt), cached, prompt, blocked);
        if (slots == 1) {
            System.out.printf(Locale.ROOT, "history found in the cache: %.1f %%%n", historyReuse(jdbc, ids));
        }
        System.out.printf(Locale.ROOT, "all %d done in %.0f s: %.1f tasks an hour%n", tasks, wall, tasks * 3600 / wall);
    }

    /**
     * Of the prompt tokens the session had sent or been answered before (the previous call's prompt and
     * answer, as far as the new prompt is that long), the share the server found in its cache: what a
     * template that re-renders history costs, apart from the new text every call must evaluate. One
     * session, so calls are in the order of their events.
     */
    private static double historyReuse(JdbcClient jdbc, List<UUID> ids) {
        var calls = jdbc.sql("""
                        select (data ->> 'promptTokens')::bigint, (data ->> 'cachedTokens')::bigint,
                               (data ->> 'predictedTokens')::bigint
                        from task_events where type = 'model.call' and task_id = any(:ids) order by id""")
                .param("ids", ids.toArray(UUID[]::new))
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).list();
        long seen = 0;
        long found = 0;
        for (int i = 1; i < calls.size(); i++) {
            long before = calls.get(i - 1)[0] + calls.get(i - 1)[2];
            if (calls.get(i)[0] < before) {
                continue; // the session started over: nothing of its history is sent again
            }
            seen += before;
            found += Math.min(calls.get(i)[1], before);
        }
        return 100.0 * found / Math.max(1, seen);
    }

    /** A stand-in first judge: every verdict a pass, sure of the given fraction of them (n of every ten). */
    private static Responder firstJudge(double sure) {
        var calls = new AtomicLong();
        return call -> {
            boolean isSure = calls.getAndIncrement() % 10 < Math.round(sure * 10);
            return Reply.text("{\"verdict\":\"pass\",\"score\":0.9,\"feedback\":\"Meets the criteria.\",\"confidence\":"
                    + (isSure ? "0.9" : "0.5") + "}");
        };
    }

    private static void reportFirstJudge(JdbcClient jdbc, List<UUID> ids, int tasks, double scale) {
        var row = jdbc.sql("""
                        select count(*), count(*) filter (where (data ->> 'decided')::boolean),
                               coalesce(sum((data ->> 'durationMs')::bigint), 0) / 1000.0
                        from task_events where type = 'judge.first' and task_id = any(:ids)""")
                .param("ids", ids.toArray(UUID[]::new))
                .query((rs, n) -> new double[] {rs.getLong(1), rs.getLong(2), rs.getDouble(3)}).single();
        System.out.printf(Locale.ROOT, "first judge: %.0f verdicts, %.0f decided (%.0f %%), %.1f s of its time a task%n",
                row[0], row[1], 100 * row[1] / Math.max(1, row[0]), row[2] * scale / tasks);
    }
}
