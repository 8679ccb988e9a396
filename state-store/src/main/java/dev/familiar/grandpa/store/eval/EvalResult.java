package dev.familiar.grandpa.store.eval;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One case of a run (one repetition of it): the task it became and, once it ended, whether it was solved
 * and what it took.
 *
 * @param tries    how many tasks it has been given (a run cancelled and resumed gives it another)
 * @param reason   why it was not solved (the task's reason, or the held-out check's failure), or null
 * @param measures what it took, once it ended; null before
 */
public record EvalResult(UUID runId, String caseId, int repetition, int position, int tries, UUID taskId,
                         EvalCaseStatus status, String taskStatus, String reason, String heldOutOutput,
                         CaseMeasures measures, Instant startedAt, Instant finishedAt) {

    /**
     * What a case's task took.
     *
     * @param secondsToDone  from submission until the task ended (DONE or not)
     * @param grandpaSeconds grandpa's model busy for the task, in all
     * @param grandpaBusy    the same by purpose (plan, judge, integrate, ...)
     * @param coderCalls     calls to coders (attempts)
     * @param coderTokens    tokens the coders read and wrote
     * @param coderSeconds   the coders' time, in all
     * @param recoveries     recovery steps by rung
     * @param replans        plans after the first
     * @param cost           the coders' relative cost (each call at its backend's {@code cost})
     */
    public record CaseMeasures(double secondsToDone, double grandpaSeconds, Map<String, Double> grandpaBusy, int coderCalls,
                               long coderTokens, double coderSeconds, Map<String, Integer> recoveries, int replans,
                               double cost) {
        public CaseMeasures {
            grandpaBusy = Map.copyOf(grandpaBusy);
            recoveries = Map.copyOf(recoveries);
        }

        public int recoveryCount() {
            return recoveries.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public boolean solved() {
        return status == EvalCaseStatus.SOLVED;
    }

    public boolean ended() {
        return status == EvalCaseStatus.SOLVED || status == EvalCaseStatus.UNSOLVED;
    }
}
