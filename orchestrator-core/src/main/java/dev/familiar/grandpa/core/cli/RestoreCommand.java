package dev.familiar.grandpa.core.cli;

import dev.familiar.grandpa.store.backup.DatabaseBackup;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true, description = {"Puts a backup made by 'grandpa backup' into an empty database: the embedded "
        + "one in a data directory (with grandpa stopped), or another PostgreSQL by its JDBC URL. The schema is made "
        + "first; a database that holds anything is left as it is."})
final class RestoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the backup")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--data-directory", paramLabel = "DIR", description = "the embedded PostgreSQL's data "
                + "(grandpa.database.embedded.data-directory, e.g. data/postgres); made if missing")
        Path dataDirectory;

        @Option(names = "--jdbc-url", paramLabel = "URL", description = "another PostgreSQL's database")
        String jdbcUrl;
    }

    @Option(names = "--username", description = "with --jdbc-url")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR", description = "with --jdbc-url: the environment variable holding the password")
    String passwordEnv;

    private final Console console;

    RestoreCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        if (target.dataDirectory != null) {
            try (var db = EmbeddedDatabase.start(target.dataDirectory, 0, true)) {
                return restore(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            }
        }
        String password = passwordEnv == null ? "" : console.env().getOrDefault(passwordEnv, "");
        return restore(new DriverManagerDataSource(target.jdbcUrl, username, password));
    }

    private int restore(javax.sql.DataSource dataSource) throws Exception {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        try (InputStream in = Files.newInputStream(file)) {
            var manifest = DatabaseBackup.restore(dataSource, in);
            long rows = manifest.tables().values().stream().mapToLong(Long::longValue).sum();
            console.out().println("restored " + rows + " rows in " + manifest.tables().size() + " tables from " + file
                    + " (made " + manifest.createdAt() + ", schema " + manifest.schemaVersion() + ")");
            console.out().flush();
            return 0;
        }
    }
}
