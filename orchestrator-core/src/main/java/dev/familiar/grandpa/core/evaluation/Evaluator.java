package dev.familiar.grandpa.core.evaluation;

import dev.familiar.grandpa.core.grandpa.GrandpaModel;
import dev.familiar.grandpa.core.grandpa.ModelAnswerException;
import dev.familiar.grandpa.core.grandpa.Prompts;
import dev.familiar.grandpa.core.grandpa.Purpose;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Judges a coder's output: cheap structural checks first (is there an output, was it cut off), then
 * grandpa as judge with a rubric. A judge that does not answer in the verdict schema is not a verdict:
 * the step fails and is tried again a bounded number of times.
 */
public class Evaluator {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int JUDGE_ATTEMPTS = 2;

    private record Answer(String verdict, Double score, String feedback) {}

    private final GrandpaModel grandpa;

    public Evaluator(GrandpaModel grandpa) {
        this.grandpa = grandpa;
    }

    public Judgement evaluate(Task task, Subtask subtask, String output, boolean truncated) {
        var checks = new ArrayList<String>();
        if (output == null || output.isBlank()) {
            checks.add("output present: no");
            return new Judgement(Verdict.FAIL, 0.0, "The answer was empty.", checks, JudgedBy.CHECKS);
        }
        checks.add("output present: yes");
        if (truncated) {
            checks.add("complete: no (cut off by the token limit)");
            return new Judgement(Verdict.REVISE, 0.0,
                    "Your answer was cut off by the token limit. Answer again, more concisely, and finish it.",
                    checks, JudgedBy.CHECKS);
        }
        checks.add("complete: yes");
        String prompt = prompt(task, subtask, output);
        for (int i = 0; i < JUDGE_ATTEMPTS; i++) {
            String answer = grandpa.askWithinLimit(task.id(), Purpose.JUDGE, Prompts.JUDGE + prompt, SCHEMA);
            try {
                Answer a = JSON.readValue(answer, Answer.class);
                Verdict verdict = Verdict.valueOf(a.verdict().trim().toUpperCase(Locale.ROOT));
                return new Judgement(verdict, a.score(), a.feedback(), checks, JudgedBy.GRANDPA);
            } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
                // asked again below
            }
        }
        throw new ModelAnswerException("grandpa's verdict did not follow the verdict schema in " + JUDGE_ATTEMPTS + " tries");
    }

    static String prompt(Task task, Subtask subtask, String output) {
        var p = new StringBuilder();
        p.append("Goal of the whole task:\n").append(task.goal()).append("\n\n");
        p.append("Subtask ").append(subtask.key()).append(": ").append(subtask.title()).append('\n');
        p.append(subtask.instructions()).append('\n');
        if (!subtask.acceptanceCriteria().isEmpty()) {
            p.append("\nAcceptance criteria:\n");
            subtask.acceptanceCriteria().forEach(c -> p.append("- ").append(c).append('\n'));
        }
        p.append("\nOutput to judge:\n").append(output).append('\n');
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
