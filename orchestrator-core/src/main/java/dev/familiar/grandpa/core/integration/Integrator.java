package dev.familiar.grandpa.core.integration;

import dev.familiar.grandpa.core.grandpa.GrandpaModel;
import dev.familiar.grandpa.core.grandpa.Prompts;
import dev.familiar.grandpa.core.grandpa.Purpose;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import java.util.List;

/** Puts a task's accepted subtask outputs together into its result, through grandpa's model. */
public class Integrator {
    private final GrandpaModel grandpa;

    public Integrator(GrandpaModel grandpa) {
        this.grandpa = grandpa;
    }

    /** @param accepted the accepted subtasks, in plan order */
    public String integrate(Task task, List<Subtask> accepted) {
        return grandpa.askWithinLimit(task.id(), Purpose.INTEGRATE, Prompts.INTEGRATE + prompt(task, accepted), null);
    }

    static String prompt(Task task, List<Subtask> accepted) {
        var prompt = new StringBuilder("Goal:\n").append(task.goal()).append("\n\nAccepted subtask outputs:\n");
        for (Subtask s : accepted) {
            prompt.append("\n## ").append(s.key()).append(": ").append(s.title()).append('\n').append(s.output()).append('\n');
        }
        return prompt.toString();
    }
}
