package dev.familiar.grandpa.store.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The embedded PostgreSQL's two passwords, generated once and kept in a file only the service's user
 * may read, beside the data directory: the superuser's, used only to start the server and keep grandpa's
 * role as it should be, and grandpa's own role's. Never logged.
 *
 * @param superuser the {@code postgres} role's password
 * @param owner     the password of the role that owns grandpa's database
 */
record Credentials(String superuser, String owner) {
    @Override
    public String toString() {
        return "Credentials[hidden]";
    }

    /** The file of a data directory: {@code data/postgres} keeps its passwords in {@code data/postgres.credentials}. */
    static Path fileOf(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".credentials");
    }

    static boolean exist(Path dataDirectory) {
        return Files.exists(fileOf(dataDirectory));
    }

    static Credentials loadOrCreate(Path dataDirectory) {
        Path file = fileOf(dataDirectory);
        try {
            if (!Files.exists(file)) {
                var made = new Credentials(generate(), generate());
                Path partial = file.resolveSibling(file.getFileName() + ".new");
                Files.deleteIfExists(partial);
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                var p = new Properties();
                p.setProperty("superuser", made.superuser());
                p.setProperty("owner", made.owner());
                try (Writer out = Files.newBufferedWriter(partial, StandardOpenOption.WRITE)) {
                    p.store(out, "grandpa's embedded PostgreSQL: keep this file readable by the service's user alone");
                }
                Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            var p = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                p.load(in);
            }
            return new Credentials(p.getProperty("superuser"), p.getProperty("owner"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
