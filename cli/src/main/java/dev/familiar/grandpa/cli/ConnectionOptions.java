package dev.familiar.grandpa.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that talks to the service shares. */
final class ConnectionOptions {
    @Option(names = "--url", paramLabel = "URL", description = "grandpa's address (default: GRANDPA_URL, the "
            + "configuration file, else http://127.0.0.1:8080)")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "the bearer token (default: GRANDPA_TOKEN, the "
            + "configuration file, else a local service's data/admin.token)")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "read the bearer token from this file")
    Path tokenFile;
}
