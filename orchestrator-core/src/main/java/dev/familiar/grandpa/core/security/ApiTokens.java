package dev.familiar.grandpa.core.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens grandpa accepts, kept as SHA-256 digests only. With none configured, grandpa
 * makes an admin token once for a service that listens on loopback alone and keeps it in a file only
 * its owner can read; on any other address it refuses to start without tokens.
 */
public final class ApiTokens {
    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);

    /** Who a token belongs to. */
    public record Caller(String name, Role role) {}

    private record Known(byte[] digest, Caller caller) {}

    private final List<Known> known;

    private ApiTokens(List<Known> known) {
        this.known = List.copyOf(known);
    }

    /**
     * @param address     the address the service listens on (null: every interface)
     * @param environment where {@code token-env} names are looked up
     * @throws IllegalStateException when a token is badly configured, or none is and the address is not loopback
     */
    public static ApiTokens from(SecuritySettings settings, String address, Map<String, String> environment) {
        var known = new ArrayList<Known>();
        for (var token : settings.tokens()) {
            known.add(new Known(digestOf(token, environment), new Caller(name(token), role(token))));
        }
        if (known.isEmpty()) {
            if (!loopbackOnly(address)) {
                throw new IllegalStateException("grandpa listens on " + (address == null ? "every interface" : address)
                        + " but no API token is configured: set grandpa.security.tokens (see the README), "
                        + "or listen on 127.0.0.1 only");
            }
            known.add(new Known(digest(localAdminToken(settings.tokenFile())), new Caller("local-admin", Role.ADMIN)));
        }
        return new ApiTokens(known);
    }

    /** The token's owner, or empty when no configured token matches; every digest is compared in full. */
    public Optional<Caller> caller(String token) {
        byte[] digest = digest(token);
        Caller found = null;
        for (Known k : known) {
            if (MessageDigest.isEqual(k.digest(), digest)) {
                found = k.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(digest(token));
    }

    private static byte[] digestOf(SecuritySettings.ApiToken token, Map<String, String> environment) {
        boolean hashed = token.sha256() != null && !token.sha256().isBlank();
        boolean fromEnv = token.tokenEnv() != null && !token.tokenEnv().isBlank();
        if (hashed == fromEnv) {
            throw new IllegalStateException("API token " + name(token) + " needs exactly one of sha256 and token-env");
        }
        if (hashed) {
            if (!token.sha256().matches("[0-9a-fA-F]{64}")) {
                throw new IllegalStateException("API token " + name(token) + ": sha256 is 64 hex digits");
            }
            return HexFormat.of().parseHex(token.sha256().toLowerCase());
        }
        String value = environment.get(token.tokenEnv());
        if (value == null || value.length() < 16) {
            throw new IllegalStateException("API token " + name(token) + ": environment variable " + token.tokenEnv()
                    + " is not set, or shorter than 16 characters");
        }
        return digest(value);
    }

    private static String name(SecuritySettings.ApiToken token) {
        if (token.name() == null || token.name().isBlank()) {
            throw new IllegalStateException("every API token needs a name");
        }
        return token.name();
    }

    private static Role role(SecuritySettings.ApiToken token) {
        if (token.role() == null) {
            throw new IllegalStateException("API token " + token.name() + " needs a role: VIEWER, OPERATOR or ADMIN");
        }
        return token.role();
    }

    /** The admin token of a loopback-only service: read from its file, or made and written there once. */
    private static String localAdminToken(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path written = Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(written, token + "\n", StandardCharsets.UTF_8);
            log.warn("No API token is configured: an admin token for this machine was written to {} (readable by its "
                    + "owner only). Send it as 'Authorization: Bearer <token>'.", file.toAbsolutePath());
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local admin token in " + file, e);
        }
    }

    private static boolean loopbackOnly(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
