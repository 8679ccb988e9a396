package dev.familiar.grandpa.core.planning;

import static org.assertj.core.api.Assertions.assertThat;

import de.kherud.llama.LlamaModel;
import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schemas grandpa sends with its plan and verdict requests, as llama.cpp's own converter turns
 * them into the grammar llama-server samples under ({@code json_schema}, through the de.kherud:llama
 * binding of the same code): every rule of the plan validator that JSON Schema can say is in the
 * grammar, so the model cannot spend a generation on a plan validation would refuse for it.
 */
class PlanSchemaGrammarTest {
    static String grammar(JsonSchema schema) {
        return LlamaModel.jsonSchemaToGrammar(JsonMapper.builder().build()
                .writeValueAsString(JsonSchemaElementUtils.toMap(schema.rootElement())));
    }

    @Test
    void thePlanGrammarHoldsIdsCapabilitiesSizeAndRequiredText() {
        String gbnf = grammar(Planner.schema(Set.of("docs", "code"), 3));
        // one to three subtasks, each with every field, in order, and nothing else
        assertThat(gbnf).contains("subtasks ::= \"[\" space subtasks-item (\",\" space subtasks-item){0,2} \"]\" space");
        assertThat(gbnf).contains("subtasks-item ::= \"{\" space subtasks-item-id-kv \",\" space subtasks-item-title-kv");
        // ids (and the ids depended on) as the validator wants them
        assertThat(gbnf).contains("subtasks-item-id ::= \"\\\"\" (subtasks-item-id-1{1,40}) \"\\\"\" space",
                "subtasks-item-id-1 ::= [A-Za-z0-9_.-]", "subtasks-item-depends-on-item-1 ::= [A-Za-z0-9_.-]");
        // only the coders' capabilities
        assertThat(gbnf).contains("subtasks-item-capability ::= (\"\\\"code\\\"\" | \"\\\"docs\\\"\") space");
        // a title and instructions of at least one character
        assertThat(gbnf).contains("subtasks-item-title ::= \"\\\"\" char+ \"\\\"\" space",
                "subtasks-item-instructions ::= \"\\\"\" char+ \"\\\"\" space");
    }

    @Test
    void theVerdictGrammarAllowsOnlyTheThreeVerdicts() {
        assertThat(grammar(Evaluator.SCHEMA)).contains("(\"\\\"pass\\\"\" | \"\\\"revise\\\"\" | \"\\\"fail\\\"\")");
    }
}
