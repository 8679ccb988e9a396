package dev.familiar.grandpa.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.retention.RetentionRepository;
import dev.familiar.grandpa.store.stats.StatsRepository;
import dev.familiar.grandpa.store.task.NewTask;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL that reads events without their records (the dashboard's model history, the pruning of
 * coders' answers) holds to the contract: events written through the journal from seeded records, read
 * by that SQL on a real PostgreSQL, give what the records say. Renaming a field or a type the SQL reads
 * fails here.
 */
class EventReadersIT {
    @Test
    void theModelHistoryAndThePruningReadWhatTheJournalWrote() {
        try (var pool = TestPostgres.migratedDataSource()) {
            var jdbc = JdbcClient.create(pool);
            var journal = new EventJournal(new EventLog(jdbc));
            UUID task = new TaskRepository(jdbc).insert(new NewTask("contract", "hold the contract", null, List.of(), 0,
                    null, null, null)).task().id();
            var random = new Random(11);
            var calls = new ArrayList<Event.ModelCalled>();
            int pruned = 0;
            for (int i = 0; i < 30; i++) {
                var sample = SampleEvents.of(Event.ModelCalled.class, random);
                var call = new Event.ModelCalled(sample.purpose(), sample.promptTokens(), sample.cachedTokens(),
                        sample.promptMs(), sample.promptPerSecond(), sample.predictedTokens(), sample.predictedMs(),
                        sample.predictedPerSecond(), sample.firstTokenMs(), sample.wallMs(), i % 2 == 0 ? "glm" : "qwen");
                calls.add(call);
                journal.append(task, call);
                for (var kind : List.of(Event.AttemptOutput.class, Event.AttemptOutputRestarted.class, Event.ModelProgress.class)) {
                    journal.append(task, SampleEvents.of(kind, random));
                    pruned++;
                }
                journal.append(task, SampleEvents.of(Event.Planned.class, random));
            }

            List<StatsRepository.ModelBucket> buckets = new StatsRepository(jdbc).modelCalls(Duration.ofHours(1), Duration.ofDays(1));
            Map<String, List<Event.ModelCalled>> byModel = calls.stream().collect(Collectors.groupingBy(Event.ModelCalled::model));
            assertThat(buckets).extracting(StatsRepository.ModelBucket::model).containsExactlyInAnyOrderElementsOf(byModel.keySet());
            for (var bucket : buckets) {
                var mine = byModel.get(bucket.model());
                assertThat(bucket.calls()).isEqualTo(mine.size());
                assertThat(bucket.promptTokens()).isEqualTo(mine.stream().mapToLong(Event.ModelCalled::promptTokens).sum());
                assertThat(bucket.cachedTokens()).isEqualTo(mine.stream().mapToLong(Event.ModelCalled::cachedTokens).sum());
                assertThat(bucket.promptPerSecond()).isCloseTo(mine.stream().mapToDouble(Event.ModelCalled::promptPerSecond)
                        .filter(v -> v > 0).average().orElse(0), within(1e-6));
                assertThat(bucket.generationPerSecond()).isCloseTo(mine.stream().mapToDouble(Event.ModelCalled::predictedPerSecond)
                        .filter(v -> v > 0).average().orElse(0), within(1e-6));
                assertThat(bucket.sessionTokensMax()).isEqualTo(mine.stream()
                        .mapToLong(c -> (long) c.promptTokens() + c.predictedTokens()).max().orElseThrow());
            }

            var events = new EventLog(jdbc);
            int before = events.after(task, 0, 10_000).size();
            assertThat(new RetentionRepository(jdbc).deleteOutputEvents(Duration.ZERO, 10_000)).isEqualTo(pruned);
            var left = events.after(task, 0, 10_000);
            assertThat(left).hasSize(before - pruned);
            assertThat(left).extracting(e -> (Object) EventCodec.decode(e).orElseThrow().getClass()).containsOnly(
                    Event.ModelCalled.class, Event.Planned.class);
        }
    }
}
