package dev.familiar.grandpa.cli;

import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code --json}: the command prints JSON for a script instead of lines for a person. */
final class JsonOutput {
    @Option(names = "--json", description = "print JSON (the API's, for what the API answers) instead of lines for a person")
    boolean json;

    /** Prints the node as JSON when asked; answers whether it did, so the command prints nothing else. */
    boolean printed(Console console, JsonNode node) {
        if (json) {
            console.out().println(node.toPrettyString());
            console.out().flush();
        }
        return json;
    }
}
