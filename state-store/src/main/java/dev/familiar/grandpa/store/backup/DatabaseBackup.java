package dev.familiar.grandpa.store.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A backup of grandpa's database that needs no PostgreSQL tools (the embedded server ships none): every
 * table of the schema as CSV, written with PostgreSQL's COPY from one consistent snapshot, in a zip with
 * a manifest (the schema's migration version, the rows of each table). It is restored into a database
 * migrated to the same version and holding nothing yet, parents before children, and the id sequences
 * are moved past what was restored.
 */
public final class DatabaseBackup {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MANIFEST = "manifest.json";
    private static final int FORMAT = 1;

    private DatabaseBackup() {}

    /** What a backup holds: its format, the schema version, when, and each table's rows, in restore order. */
    public record Manifest(int format, String schemaVersion, Instant createdAt, Map<String, Long> tables) {}

    /** Writes the whole database as a zip; returns its manifest. */
    public static Manifest write(DataSource dataSource, OutputStream out) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one snapshot for every table
            c.setReadOnly(true);
            try {
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                var counts = new LinkedHashMap<String, Long>();
                var zip = new ZipOutputStream(out);
                for (String table : tablesInOrder(c)) {
                    zip.putNextEntry(new ZipEntry("tables/" + table + ".csv"));
                    counts.put(table, copy.copyOut("COPY " + quote(table) + " TO STDOUT WITH (FORMAT csv, HEADER)",
                            new NotClosing(zip)));
                    zip.closeEntry();
                }
                var manifest = new Manifest(FORMAT, schemaVersion(c), Instant.now(), counts);
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                zip.closeEntry();
                zip.finish();
                c.commit();
                return manifest;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("backup failed: " + e.getMessage(), e);
        }
    }

    /**
     * Restores a backup into an empty database of the same schema version, all or nothing.
     *
     * @throws IllegalStateException when the database holds rows already or has another schema version
     */
    public static Manifest restore(DataSource dataSource, InputStream in) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (var zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        if (!entries.containsKey(MANIFEST)) {
            throw new IllegalArgumentException("not a grandpa backup: it has no " + MANIFEST);
        }
        JsonNode m = JSON.readTree(entries.get(MANIFEST));
        if (m.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("a backup of format " + m.path("format").asInt() + " cannot be read here");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String version = schemaVersion(c);
                if (!version.equals(m.path("schemaVersion").asString())) {
                    throw new IllegalStateException("the backup is of schema version " + m.path("schemaVersion").asString()
                            + ", this database is at " + version + ": restore with the grandpa that made it");
                }
                List<String> tables = tablesInOrder(c);
                for (String table : tables) {
                    try (var s = c.createStatement(); var rs = s.executeQuery("select exists (select 1 from " + quote(table) + ")")) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            throw new IllegalStateException("table " + table + " holds rows: a backup is restored into an "
                                    + "empty database only, so nothing there is lost");
                        }
                    }
                }
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                var counts = new LinkedHashMap<String, Long>();
                for (String table : tables) {
                    byte[] csv = entries.get("tables/" + table + ".csv");
                    if (csv == null) {
                        throw new IllegalArgumentException("the backup has no table " + table);
                    }
                    counts.put(table, copy.copyIn("COPY " + quote(table) + " FROM STDIN WITH (FORMAT csv, HEADER)",
                            new java.io.ByteArrayInputStream(csv)));
                }
                moveSequences(c);
                c.commit();
                return new Manifest(FORMAT, version, Instant.parse(m.path("createdAt").asString()), counts);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("restore failed: " + e.getMessage(), e);
        }
    }

    /** The schema's tables, each after the tables it refers to (Flyway's own history left out). */
    static List<String> tablesInOrder(Connection c) throws SQLException {
        var tables = new ArrayList<String>();
        try (var s = c.createStatement(); var rs = s.executeQuery("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname <> 'flyway_schema_history'
                order by c.relname""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        var parents = new HashMap<String, Set<String>>();
        try (var s = c.createStatement(); var rs = s.executeQuery("""
                select child.relname, parent.relname from pg_constraint k
                join pg_class child on child.oid = k.conrelid join pg_class parent on parent.oid = k.confrelid
                join pg_namespace n on n.oid = child.relnamespace
                where k.contype = 'f' and n.nspname = current_schema() and child.oid <> parent.oid""")) {
            while (rs.next()) {
                parents.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        var ordered = new ArrayList<String>();
        var placed = new HashSet<String>();
        while (ordered.size() < tables.size()) {
            boolean progress = false;
            for (String t : tables) {
                if (!placed.contains(t) && placed.containsAll(parents.getOrDefault(t, Set.of()))) {
                    ordered.add(t);
                    placed.add(t);
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("the tables' foreign keys form a cycle: " + tables);
            }
        }
        return ordered;
    }

    private static String schemaVersion(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(
                "select version from flyway_schema_history where success and version is not null "
                        + "order by installed_rank desc limit 1")) {
            return rs.next() ? rs.getString(1) : "none";
        }
    }

    /** Every sequence owned by a column is set past the largest value restored into it. */
    private static void moveSequences(Connection c) throws SQLException {
        var moves = new ArrayList<String>();
        try (var s = c.createStatement(); var rs = s.executeQuery("""
                select t.relname, a.attname, pg_get_serial_sequence(quote_ident(t.relname), a.attname)
                from pg_class t join pg_namespace n on n.oid = t.relnamespace
                join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
                where n.nspname = current_schema() and t.relkind = 'r'
                  and pg_get_serial_sequence(quote_ident(t.relname), a.attname) is not null""")) {
            while (rs.next()) {
                moves.add("select setval('" + rs.getString(3) + "', coalesce((select max(" + quote(rs.getString(2))
                        + ") from " + quote(rs.getString(1)) + "), 0) + 1, false)");
            }
        }
        try (var s = c.createStatement()) {
            for (String move : moves) {
                s.execute(move);
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The zip stream as COPY's target, which must not close it after one table. */
    private static final class NotClosing extends java.io.FilterOutputStream {
        NotClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
