package dev.familiar.grandpa.core.resident;

import dev.familiar.grandpa.runtime.session.ModelUnavailableException;
import dev.familiar.grandpa.runtime.session.Purpose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ModelQueueTest {
    @Test
    void workThatFinishesTasksGoesFirstAndArrivalOrderHoldsWithinEachKind() throws Exception {
        try (var queue = new ModelQueue()) {
            var busy = new CountDownLatch(1);
            var order = new CopyOnWriteArrayList<String>();
            var first = queue.enqueue(Purpose.PLAN, () -> {
                await(busy);
                return "busy";
            });
            var later = List.of(queue.enqueue(Purpose.PLAN, () -> order.add("plan 1")),
                    queue.enqueue(Purpose.JUDGE, () -> order.add("judge 1")),
                    queue.enqueue(Purpose.PLAN, () -> order.add("plan 2")),
                    queue.enqueue(Purpose.INTEGRATE, () -> order.add("integrate")),
                    queue.enqueue(Purpose.JUDGE, () -> order.add("judge 2")));
            busy.countDown();
            assertThat(first.get()).isEqualTo("busy");
            later.forEach(f -> f.join());
            assertThat(order).containsExactly("integrate", "judge 1", "judge 2", "plan 1", "plan 2");
        }
    }

    @Test
    void whatTheWorkThrowsFailsItsFuture() {
        try (var queue = new ModelQueue()) {
            var failed = queue.enqueue(Purpose.JUDGE, () -> {
                throw new ModelUnavailableException("down", null);
            });
            assertThat(failed).failsWithin(java.time.Duration.ofSeconds(5))
                    .withThrowableThat().withCauseInstanceOf(ModelUnavailableException.class);
        }
    }

    @Test
    void withTwoLanesALongPlanDoesNotHoldUpAJudgementAndEachKnowsItsLane() throws Exception {
        try (var queue = new ModelQueue(2)) {
            var planning = new CountDownLatch(1);
            var plan = queue.enqueue(Purpose.PLAN, () -> {
                await(planning);
                return ModelQueue.lane();
            });
            var judge = queue.enqueue(Purpose.JUDGE, ModelQueue::lane);
            int judgeLane = judge.get(5, java.util.concurrent.TimeUnit.SECONDS); // while the plan still runs
            assertThat(plan).isNotDone();
            planning.countDown();
            assertThat(java.util.Set.of(plan.get(), judgeLane)).containsExactlyInAnyOrder(0, 1);
        }
        assertThat(ModelQueue.lane()).isZero(); // off the queue
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
