package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.store.backend.BackendSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a backend may be before grandpa calls it. Commands (command-line agents) come only from the
 * configuration file, never the API, since grandpa runs them. An API key is read only from an
 * environment variable whose name matches the key pattern, so no other secret of the service can be
 * named and sent to a backend. A base URL is http(s) to a host, without credentials in it, never to a
 * link-local or metadata address, and, when hosts are listed ({@code grandpa.delegation.allowed-hosts},
 * the way to pin them), to one of them.
 */
final class BackendPolicy {
    private final Pattern keyNames;
    private final String keyPattern;
    private final List<String> allowedHosts;

    /**
     * @param keyPattern   a glob ({@code *} for any characters) that every {@code apiKeyEnv} must match
     * @param allowedHosts host names or addresses a base URL may name; empty: any
     */
    public BackendPolicy(String keyPattern, List<String> allowedHosts) {
        this.keyPattern = keyPattern;
        this.keyNames = Pattern.compile(Arrays.stream(keyPattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** @throws IllegalArgumentException saying what is not allowed */
    public void check(BackendSpec spec, BackendSource source) {
        if (source == BackendSource.API && (spec.kind() == BackendKind.CLI || !spec.command().isEmpty()
                || spec.workingDirectory() != null)) {
            throw new IllegalArgumentException("backend " + spec.name() + ": command-line agents are configured only in "
                    + "the configuration file (grandpa.backends[i].command), never through the API");
        }
        if (spec.apiKeyEnv() != null && !keyNames.matcher(spec.apiKeyEnv()).matches()) {
            throw new IllegalArgumentException("backend " + spec.name() + ": apiKeyEnv must name a variable matching "
                    + keyPattern + " (grandpa.delegation.api-key-env-pattern), not " + spec.apiKeyEnv());
        }
        if (spec.baseUrl() != null) {
            checkUrl(spec);
        }
    }

    /**
     * Whether a host is link-local (169.254.0.0/16, fe80::/10) or a cloud's metadata service, where a key
     * sent along would be given away; refused whatever else is allowed.
     */
    public static boolean metadataHost(String host) {
        String h = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        if (h.equals("metadata") || h.equals("metadata.google.internal") || h.equals("100.100.100.200")
                || h.startsWith("fd00:ec2:")) {
            return true;
        }
        if (h.matches("[0-9a-f:.]+") && (h.contains(":") || h.matches("[0-9.]+"))) {
            try {
                var address = java.net.InetAddress.getByName(h); // a literal address: no lookup is made
                return address.isLinkLocalAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private void checkUrl(BackendSpec spec) {
        URI uri;
        try {
            uri = new URI(spec.baseUrl());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("backend " + spec.name() + ": '" + spec.baseUrl() + "' is not a URL: "
                    + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("backend " + spec.name() + ": a base URL is http(s)://host[:port]/path, not "
                    + spec.baseUrl());
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("backend " + spec.name() + ": no credentials in the base URL; name the key's "
                    + "environment variable as apiKeyEnv");
        }
        if (metadataHost(uri.getHost())) {
            throw new IllegalArgumentException("backend " + spec.name() + ": " + uri.getHost() + " is a link-local or "
                    + "cloud metadata address, which no backend may name");
        }
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("backend " + spec.name() + ": host " + uri.getHost() + " is not among "
                    + "grandpa.delegation.allowed-hosts " + allowedHosts);
        }
    }
}
