package dev.familiar.grandpa.core.context;

import java.util.List;

/** The MCP context sources the configuration names ({@code grandpa.context}), as one bean. */
public record ContextSources(List<ContextSourceSettings> sources) {
    public ContextSources {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
