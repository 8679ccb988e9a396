package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.store.backup.DatabaseBackup;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import javax.sql.DataSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /api/admin/backup} (ADMIN): the whole database as a backup ({@link DatabaseBackup}), made
 * from one consistent snapshot while the service runs; {@code grandpa backup} saves it and
 * {@code grandpa restore} puts it into an empty database.
 */
@RestController
class BackupController {
    private final DataSource dataSource;

    public BackupController(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GetMapping(path = "/api/admin/backup", produces = "application/zip")
    public ResponseEntity<StreamingResponseBody> backup() {
        String name = "grandpa-backup-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".zip";
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .body(out -> DatabaseBackup.write(dataSource, out));
    }
}
