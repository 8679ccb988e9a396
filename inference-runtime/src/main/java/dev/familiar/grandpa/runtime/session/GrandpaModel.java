package dev.familiar.grandpa.runtime.session;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * grandpa's own model, as planning, judging and integrating ask it: the one interface the service's
 * work sees of it. In the service, resident sessions on a llama-server ({@link ResidentSession}, one
 * per slot); in unit tests, a scripted model.
 */
public interface GrandpaModel {
    /**
     * @param taskId  the task the call serves (its measurements are recorded there)
     * @param request the request, starting with its job line (the service's prompts say which job it is)
     * @param schema  the answer's JSON schema, or null for free text
     * @return the answer, without reasoning
     * @throws ModelUnavailableException when the model cannot be reached or answers with an error
     * @throws CutOffException           when the answer reached its token limit
     */
    String ask(UUID taskId, Purpose purpose, String request, JsonSchema schema);

    /**
     * A turn in which the model may call its tools in its template's own syntax, each call (at most
     * {@code maxCalls}) answered by {@code answer} within the turn.
     *
     * @return the calls with their answers; empty when this model cannot be offered tools that way (the caller
     *         asks in a JSON schema instead)
     * @throws ModelUnavailableException when the model cannot be reached or answers with an error
     * @throws CutOffException           when the answer reached its token limit
     */
    default Optional<List<ToolUse>> callTools(UUID taskId, Purpose purpose, String request, int maxCalls,
                                              Function<ToolExecutionRequest, String> answer) {
        return Optional.empty();
    }

    /**
     * Asks; an answer cut off at its token limit is asked for once more, to be brief. Cut off again, it
     * fails the step like any other error.
     */
    default String askWithinLimit(UUID taskId, Purpose purpose, String request, JsonSchema schema) {
        try {
            return ask(taskId, purpose, request, schema);
        } catch (CutOffException e) {
            return ask(taskId, purpose, request + "\nYour previous answer to this was cut off at its limit of " + e.limit()
                    + " tokens. Answer again, much more briefly.\n", schema);
        }
    }
}
