package dev.familiar.grandpa.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "backup", mixinStandardHelpOptions = true, description = {"Saves a backup of the running service's database (the embedded one or "
        + "any other) to a file, from one consistent snapshot; needs an admin token. 'grandpa restore' puts it back."})
final class BackupCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "where to save it (default grandpa-backup-<date>.zip)")
    Path file;

    BackupCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        Path target = file != null ? file : Path.of("grandpa-backup-" + LocalDate.now() + ".zip");
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        long bytes = api().download("/api/admin/backup", partial);
        Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (output.printed(console, ApiClient.JSON.createObjectNode().put("file", target.toString()).put("bytes", bytes))) {
            return 0;
        }
        console.out().println(target + " (" + bytes + " bytes)");
        console.out().flush();
        return 0;
    }
}
