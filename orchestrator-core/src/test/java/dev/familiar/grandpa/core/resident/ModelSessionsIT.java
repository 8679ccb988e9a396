package dev.familiar.grandpa.core.resident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.ChatTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * grandpa's model through the whole service with two sessions on a server with two slots and Qwen3's
 * template: each session finds out by itself that raw ChatML keeps the cache exact, and calls go to
 * both slots at once (a slow plan on one leaves the other to work).
 */
class ModelSessionsIT {
    @Test
    void twoSessionsOnTwoSlotsEachCheckTheTemplateAndWorkAtOnce() {
        try (var models = new Models("coder-a")) {
            models.grandpa.setTemplate(ChatTemplate.QWEN3);
            models.grandpa.setContext(16_384, 2);
            var scripted = new StandInGrandpa();
            models.grandpa.respondWith(call -> "plan".equals(call.schemaName())
                    ? scripted.answer(call).after(Duration.ofMillis(600)) : scripted.answer(call));
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(4, Duration.ofSeconds(10)));
            properties.put("grandpa.model.slots[0]", "0");
            properties.put("grandpa.model.slots[1]", "1");
            try (var grandpa = Grandpa.start(properties)) {
                List<UUID> ids = List.of(grandpa.submit("first"), grandpa.submit("second"), grandpa.submit("third"));
                ids.forEach(id -> grandpa.awaitStatus(id, Duration.ofSeconds(30), "DONE"));

                var runtime = grandpa.get("/api/runtime").body();
                assertThat(runtime.path("sessions")).hasSize(2).allSatisfy(session -> {
                    assertThat(session.path("api").asString()).isEqualTo("COMPLETION");
                    assertThat(session.path("format").asString()).isEqualTo("CHATML");
                    assertThat(session.path("contextPerSlot").asInt()).isEqualTo(16_384);
                });
                Set<Integer> slots = models.grandpa.received().stream().map(c -> c.slot()).collect(Collectors.toSet());
                assertThat(slots).containsExactlyInAnyOrder(0, 1);
                assertThat(models.grandpa.maxConcurrentCalls()).isEqualTo(2);
            }
        }
    }
}
