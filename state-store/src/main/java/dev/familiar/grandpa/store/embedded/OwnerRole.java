package dev.familiar.grandpa.store.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * grandpa's own role on the embedded server: it logs in with its password, owns the {@code grandpa}
 * database and everything in it, and is no superuser (no {@code COPY ... PROGRAM}, no
 * {@code pg_read_file}, no other database). Data an earlier grandpa kept in the {@code postgres}
 * database as the superuser is moved over, as it is, the first time.
 */
final class OwnerRole {
    private static final Logger log = LoggerFactory.getLogger(OwnerRole.class);
    static final String NAME = "grandpa";
    static final String DATABASE = "grandpa";

    private OwnerRole() {}

    /** @param url a URL of the server's {@code template1} database, where the superuser connects */
    static void ensure(String url, Credentials credentials) {
        try (Connection c = DriverManager.getConnection(url, "postgres", credentials.superuser());
             var st = c.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            boolean exists = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + NAME + "'").next();
            st.execute((exists ? "ALTER" : "CREATE") + " ROLE " + NAME + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                    + "NOREPLICATION NOBYPASSRLS PASSWORD '" + credentials.owner() + "'");
            if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
                if (holdsGrandpasTables(url, credentials)) {
                    log.info("Moving grandpa's tables from the database 'postgres' to 'grandpa', owned by its own role");
                    st.execute("ALTER DATABASE postgres RENAME TO " + DATABASE);
                    st.execute("CREATE DATABASE postgres");
                    st.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + NAME);
                } else {
                    st.execute("CREATE DATABASE " + DATABASE + " OWNER " + NAME);
                }
            }
            st.execute("REVOKE ALL ON DATABASE " + DATABASE + " FROM PUBLIC");
            st.execute("GRANT ALL ON DATABASE " + DATABASE + " TO " + NAME);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set up grandpa's role on the embedded PostgreSQL: " + e.getMessage(), e);
        }
        ownEverything(url.replace("/template1", "/" + DATABASE), credentials);
    }

    private static boolean holdsGrandpasTables(String url, Credentials credentials) throws SQLException {
        try (Connection c = DriverManager.getConnection(url.replace("/template1", "/postgres"), "postgres",
                credentials.superuser());
             var rs = c.createStatement().executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The schema and every table, sequence, view and function in it owned by grandpa's role. */
    private static void ownEverything(String url, Credentials credentials) {
        try (Connection c = DriverManager.getConnection(url, "postgres", credentials.superuser());
             var st = c.createStatement()) {
            var statements = new ArrayList<String>(List.of("ALTER SCHEMA public OWNER TO " + NAME));
            try (var rs = st.executeQuery("""
                    SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                ELSE 'TABLE' END, quote_ident(c.relname)
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
                      AND pg_get_userbyid(c.relowner) <> '%s'
                      AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
                    """.formatted(NAME))) {
                while (rs.next()) {
                    statements.add("ALTER " + rs.getString(1) + " public." + rs.getString(2) + " OWNER TO " + NAME);
                }
            }
            try (var rs = st.executeQuery("SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = "
                    + "p.pronamespace WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '" + NAME + "'")) {
                while (rs.next()) {
                    statements.add("ALTER FUNCTION " + rs.getString(1) + " OWNER TO " + NAME);
                }
            }
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot hand grandpa's tables to its role: " + e.getMessage(), e);
        }
    }
}
