package dev.familiar.grandpa.store.embedded;

import java.nio.file.Path;
import java.sql.DriverManager;

/**
 * Stands for a grandpa whose process is killed: starts the embedded server on a data directory,
 * writes a row, says {@code READY}, then waits to be killed with the server still running.
 */
public final class KilledServiceMain {
    public static void main(String[] args) throws Exception {
        var db = EmbeddedDatabase.start(Path.of(args[0]), 0, true);
        try (var c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password()); var st = c.createStatement()) {
            st.execute("create table if not exists survived (note text)");
            st.execute("insert into survived values ('written before the kill')");
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
