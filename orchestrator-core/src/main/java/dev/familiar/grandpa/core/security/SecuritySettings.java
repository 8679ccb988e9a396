package dev.familiar.grandpa.core.security;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call grandpa ({@code grandpa.security.*}). Every request carries a bearer token; tokens are
 * never written in configuration in the clear: give the SHA-256 of one ({@code sha256}, what
 * {@code printf %s "$TOKEN" | sha256sum} prints), or the environment variable that holds it
 * ({@code token-env}).
 *
 * @param tokens         the API tokens, each with a name (for logs and rate limits) and a role
 * @param tokenFile      with no token configured and listening on loopback only, an admin token is made
 *                       once and kept here, readable by its owner alone
 * @param allowedOrigins browser origins (scheme://host:port) besides grandpa's own that may send requests
 *                       that change something; none by default
 * @param submissionsPerMinute tasks one token may submit a minute; more are answered 429
 */
@ConfigurationProperties("grandpa.security")
public record SecuritySettings(List<ApiToken> tokens, @DefaultValue("data/admin.token") Path tokenFile,
                               List<String> allowedOrigins, @DefaultValue("60") int submissionsPerMinute) {

    public SecuritySettings {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    /** One token: its SHA-256 in hex, or the environment variable that holds the token itself. */
    public record ApiToken(String name, Role role, String sha256, String tokenEnv) {}
}
