package dev.familiar.grandpa.core.evaluation;

import dev.familiar.grandpa.core.resident.Prompts;
import dev.familiar.grandpa.runtime.session.GrandpaModel;
import dev.familiar.grandpa.runtime.session.ModelAnswerException;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Judges a coder's output: cheap structural checks first (is there an output, was it cut off), then
 * grandpa as judge with a rubric. In a repository the checks of the change come first: one that failed
 * is a "revise" with its output as the feedback, and grandpa is not asked; a change that passed them is
 * judged on its diff. A {@link FirstJudge} may decide before grandpa is asked. A judge that does not
 * answer in the verdict schema is not a verdict: the step fails and is tried again a bounded number of
 * times.
 */
public class Evaluator {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int JUDGE_ATTEMPTS = 2;
    /** Of a failed check's output, the end the coder gets as feedback. */
    private static final int FEEDBACK_TAIL = 4000;
    /** Of a change, what grandpa reads: a larger one is shown up to here. */
    private static final int SHOWN_DIFF = 40_000;

    private record Answer(String verdict, Double score, String feedback) {}

    private final GrandpaModel grandpa;

    public Evaluator(GrandpaModel grandpa) {
        this.grandpa = grandpa;
    }

    /** What a judge reads about one output, and the checks it passed. */
    public record Review(String text, List<String> checks) {
        public Review {
            checks = List.copyOf(checks);
        }
    }

    /** Judges an answer given outside a repository: by its structure, else by grandpa. */
    public Judgement evaluate(Task task, Subtask subtask, String output, boolean truncated) {
        Judgement byStructure = byStructure(output, truncated);
        return byStructure != null ? byStructure : judge(task, answer(task, subtask, output));
    }

    /** Grandpa's verdict on an output that passed its checks. */
    public Judgement judge(Task task, Review review) {
        for (int i = 0; i < JUDGE_ATTEMPTS; i++) {
            String answer = grandpa.askWithinLimit(task.id(), Purpose.JUDGE, Prompts.JUDGE + review.text(), SCHEMA);
            try {
                Answer a = JSON.readValue(answer, Answer.class);
                Verdict verdict = Verdict.valueOf(a.verdict().trim().toUpperCase(Locale.ROOT));
                return new Judgement(verdict, a.score(), a.feedback(), review.checks(), JudgedBy.GRANDPA);
            } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
                // asked again below
            }
        }
        throw new ModelAnswerException("grandpa's verdict did not follow the verdict schema in " + JUDGE_ATTEMPTS + " tries");
    }

    /**
     * The verdict of an answer's structure alone when it is unusable (empty, or cut off at the token
     * limit); null when it is whole.
     */
    public static Judgement byStructure(String output, boolean truncated) {
        if (output == null || output.isBlank()) {
            return new Judgement(Verdict.FAIL, 0.0, "The answer was empty.", List.of("output present: no"), JudgedBy.CHECKS);
        }
        if (truncated) {
            return new Judgement(Verdict.REVISE, 0.0,
                    "Your answer was cut off by the token limit. Answer again, more concisely, and finish it.",
                    List.of("output present: yes", "complete: no (cut off by the token limit)"), JudgedBy.CHECKS);
        }
        return null;
    }

    /**
     * The verdict of the checks alone when one of them failed (a failed check is never a pass): "revise",
     * with what failed and the end of its output as the feedback; null when all passed.
     */
    public static Judgement byChecks(List<StoredCheck> checks) {
        var failed = checks.stream().filter(c -> !c.passed()).toList();
        if (failed.isEmpty()) {
            return null;
        }
        var feedback = new StringBuilder();
        for (StoredCheck c : failed) {
            if (c.command() == null) { // grandpa's own check: its detail is the feedback
                feedback.append(c.outputTail()).append('\n');
            } else {
                feedback.append("The check '").append(c.name()).append("' (").append(c.command()).append(") failed: ")
                        .append(c.timedOut() ? "killed at its time limit" : "exit status " + c.exitCode())
                        .append(" after ").append(seconds(c.durationMs())).append(". The end of its output:\n")
                        .append(tail(c.outputTail())).append("\nChange the code so that this check passes.\n");
            }
        }
        return new Judgement(Verdict.REVISE, 0.0, feedback.toString().strip(), summaries(checks), JudgedBy.CHECKS);
    }

    /**
     * What a judge reads: the subtask, and the answer, or in a repository the change as a diff with the
     * checks it passed.
     */
    public static Review review(Task task, Subtask subtask, Attempt attempt, List<StoredCheck> checks) {
        return task.repo() == null ? answer(task, subtask, attempt.output()) : change(task, subtask, attempt.patch(), checks);
    }

    private static Review answer(Task task, Subtask subtask, String output) {
        return new Review(brief(task, subtask) + "\nOutput to judge:\n" + output + '\n',
                List.of("output present: yes", "complete: yes"));
    }

    private static Review change(Task task, Subtask subtask, String patch, List<StoredCheck> checks) {
        var p = new StringBuilder(brief(task, subtask));
        p.append("\nChecks the change passed:\n");
        if (checks.isEmpty()) {
            p.append("- none were configured\n");
        }
        summaries(checks).forEach(c -> p.append("- ").append(c).append('\n'));
        String diff = patch.length() <= SHOWN_DIFF ? patch
                : patch.substring(0, SHOWN_DIFF) + "\n[… " + (patch.length() - SHOWN_DIFF) + " more characters of the diff]";
        p.append("\nThe change to judge, as a unified diff:\n").append(diff).append('\n');
        return new Review(p.toString(), summaries(checks));
    }

    private static List<String> summaries(List<StoredCheck> checks) {
        return checks.stream().map(c -> c.name() + ": " + (c.passed() ? "passed" : "failed")
                + (c.exitCode() == null ? "" : " (exit " + c.exitCode() + ", " + seconds(c.durationMs()) + ")")).toList();
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String tail(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() <= FEEDBACK_TAIL ? t : "…" + t.substring(t.length() - FEEDBACK_TAIL);
    }

    static String brief(Task task, Subtask subtask) {
        var p = new StringBuilder();
        p.append("Goal of the whole task:\n").append(task.goal()).append("\n\n");
        p.append("Subtask ").append(subtask.key()).append(": ").append(subtask.title()).append('\n');
        p.append(subtask.instructions()).append('\n');
        if (!subtask.acceptanceCriteria().isEmpty()) {
            p.append("\nAcceptance criteria:\n");
            subtask.acceptanceCriteria().forEach(c -> p.append("- ").append(c).append('\n'));
        }
        return p.toString();
    }

    public static final JsonSchema SCHEMA = JsonSchema.builder()
            .name("verdict")
            .rootElement(JsonObjectSchema.builder()
                    .addEnumProperty("verdict", List.of("pass", "revise", "fail"))
                    .addNumberProperty("score")
                    .addStringProperty("feedback")
                    .required("verdict", "score", "feedback")
                    .build())
            .build();
}
