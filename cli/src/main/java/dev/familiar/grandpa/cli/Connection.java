package dev.familiar.grandpa.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the client finds grandpa and the token it sends, from the first that says: the command's flags,
 * the environment ({@code GRANDPA_URL}, {@code GRANDPA_TOKEN}), the user's configuration file
 * ({@code $XDG_CONFIG_HOME/grandpa/client.properties}, else {@code ~/.config/grandpa/client.properties},
 * keys {@code url}, {@code token}, {@code token-file}); else a service on this machine's loopback
 * ({@code GRANDPA_PORT}, else 8080) and the admin token such a service keeps in {@code data/admin.token}.
 */
record Connection(URI url, String token) {

    static Connection resolve(String url, String token, Path tokenFile, Console console) throws IOException {
        var env = console.env();
        Properties file = configFile(env);
        String u = first(url, env.get("GRANDPA_URL"), file.getProperty("url"),
                "http://127.0.0.1:" + first(env.get("GRANDPA_PORT"), "8080"));
        String t = first(token, read(tokenFile), env.get("GRANDPA_TOKEN"), file.getProperty("token"),
                read(file.getProperty("token-file") == null ? null : Path.of(file.getProperty("token-file"))));
        URI uri = URI.create(u.replaceAll("/+$", ""));
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("grandpa's URL must be http(s)://host[:port], not '" + u + "'");
        }
        if (t == null && isLoopback(uri)) {
            t = read(Path.of("data", "admin.token")); // the local service's own admin token, next to it
        }
        return new Connection(uri, t);
    }

    private static Properties configFile(java.util.Map<String, String> env) throws IOException {
        String base = env.get("XDG_CONFIG_HOME");
        Path dir = base != null && !base.isBlank() ? Path.of(base)
                : env.get("HOME") == null ? null : Path.of(env.get("HOME"), ".config");
        var properties = new Properties();
        if (dir != null && Files.isReadable(dir.resolve("grandpa/client.properties"))) {
            try (Reader reader = Files.newBufferedReader(dir.resolve("grandpa/client.properties"))) {
                properties.load(reader);
            }
        }
        return properties;
    }

    private static String read(Path file) throws IOException {
        return file == null || !Files.isReadable(file) ? null : Files.readString(file).strip();
    }

    static boolean isLoopback(URI uri) {
        return uri.getHost().equals("localhost") || uri.getHost().startsWith("127.") || uri.getHost().equals("[::1]");
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
