package dev.familiar.grandpa.core.context;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * An MCP server that gives context (argus: code symbols; voracle: notes), run as a process and
 * spoken to over stdio ({@code grandpa.context[i]}): one call of {@code tool} per task, with the task
 * as {@code queryArgument}.
 *
 * @param maxTokens the most of the context pack this source may fill (estimated at 4 characters a token)
 */
public record ContextSourceSettings(
        String name,
        List<String> command,
        @DefaultValue("search") String tool,
        @DefaultValue("query") String queryArgument,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("2000") int maxTokens) {}
