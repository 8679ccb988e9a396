package dev.familiar.grandpa.core.grandpa;

import dev.familiar.grandpa.core.config.GrandpaProperties;
import dev.familiar.grandpa.delegation.backend.CallFailure;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.function.Supplier;

/**
 * grandpa's own model, asked through LangChain4j. Answers that must follow a schema are requested
 * with {@code response_format: json_schema}, which llama-server enforces with a grammar.
 */
public class GrandpaModel {
    private final ChatModel chat;
    private final String baseUrl;
    private final Supplier<String> notReady;

    /** @param notReady why the model's server cannot answer now (it is loading, restarting), or null */
    public GrandpaModel(GrandpaProperties.Model properties, Supplier<String> notReady) {
        this.baseUrl = properties.baseUrl();
        this.notReady = notReady;
        this.chat = OpenAiChatModel.builder()
                .baseUrl(properties.baseUrl())
                .apiKey(properties.apiKey() == null || properties.apiKey().isBlank() ? "none" : properties.apiKey())
                .modelName(properties.name())
                .timeout(properties.timeout())
                .maxRetries(0)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .strictJsonSchema(false)
                .build();
    }

    /**
     * @param schema the answer's JSON schema, or null for free text
     * @throws ModelUnavailableException when the model cannot be reached or answers with an error
     */
    public String ask(String system, String user, JsonSchema schema) {
        String why = notReady.get();
        if (why != null) {
            throw new ModelUnavailableException(why, null);
        }
        var request = ChatRequest.builder().messages(SystemMessage.from(system), UserMessage.from(user));
        if (schema != null) {
            request.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build());
        }
        long start = System.nanoTime();
        try {
            String text = chat.chat(request.build()).aiMessage().text();
            return text == null ? "" : text;
        } catch (RuntimeException e) {
            var failure = CallFailure.classify("grandpa model at " + baseUrl, e, (System.nanoTime() - start) / 1_000_000);
            throw new ModelUnavailableException(failure.getMessage(), e);
        }
    }
}
