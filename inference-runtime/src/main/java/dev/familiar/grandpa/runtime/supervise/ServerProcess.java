package dev.familiar.grandpa.runtime.supervise;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The model server's process: its log read line by line, and its stop (asked first, then forced). */
public final class ServerProcess {
    private ServerProcess() {}

    /** Reads the process's output into the digest until it ends. */
    static void pump(Process p, LogDigest digest) {
        try (var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                digest.accept(line);
            }
        } catch (IOException e) {
            // the process is gone; its last lines are kept
        }
    }

    /** SIGTERM (llama-server stops its slots cleanly), then SIGKILL after 10 s; nothing for none or a dead one. */
    public static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
