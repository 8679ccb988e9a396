package dev.familiar.grandpa.context;

import java.util.List;

/** Somewhere context comes from. */
public interface ContextSource {
    String name();

    /** The items the source finds for the query, best first. */
    List<ContextItem> find(String query) throws Exception;
}
