package dev.familiar.grandpa.argus;

import dev.familiar.grandpa.serving.McpServing;
import dev.familiar.grandpa.workspace.git.Git;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * argus-lite: definitions and references of git repositories over MCP. {@code --repo=NAME=GIT_DIR[@REF]}
 * (as often as there are repositories; a bare mirror or a checkout; REF defaults to HEAD) and
 * {@code --stdio} (what grandpa starts), or streamable HTTP at {@code http://127.0.0.1:8091/mcp}, asking
 * for {@code ARGUS_LITE_TOKEN} as a bearer token where that variable is set.
 */
@SpringBootApplication
@Import(McpServing.class)
public class ArgusLite {

    public static void main(String[] args) {
        McpServing.main(ArgusLite.class, args);
    }

    @Bean
    CodeTools codeTools(@Value("${repo}") List<String> repos) {
        var git = new Git(Duration.ofMinutes(2));
        return new CodeTools(repos.stream().map(spec -> index(git, spec)).toList());
    }

    /** {@code NAME=GIT_DIR[@REF]}; read at once, so the first question is answered quickly. */
    static CodeIndex index(Git git, String spec) {
        int equals = spec.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--repo takes NAME=GIT_DIR[@REF], not " + spec);
        }
        String place = spec.substring(equals + 1);
        int at = place.lastIndexOf('@');
        String dir = at > 0 ? place.substring(0, at) : place;
        var index = new CodeIndex(spec.substring(0, equals), new GitReader(git, Path.of(dir)),
                at > 0 ? place.substring(at + 1) : "HEAD");
        index.refresh();
        return index;
    }
}
