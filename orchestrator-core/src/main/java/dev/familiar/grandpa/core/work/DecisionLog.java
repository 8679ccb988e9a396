package dev.familiar.grandpa.core.work;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.familiar.grandpa.core.engine.NextStep;
import dev.familiar.grandpa.core.engine.Step;
import dev.familiar.grandpa.core.engine.TaskState;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every decision this instance takes, when {@code grandpa.engine.decision-log} names a directory: one
 * JSON line per decision ({@link Decision}) in {@code decisions-<pid>.jsonl}. It says why a task went as it
 * did, and histories recorded this way are the fixtures the replay test decides again. Off by default; a
 * failure to write is logged once and the work goes on.
 */
final class DecisionLog {
    private static final Logger log = LoggerFactory.getLogger(DecisionLog.class);
    static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    /** One decision: the rules it followed, the time it was given, the state it read and the step it chose. */
    record Decision(NextStep.Rules rules, Instant now, TaskState state, Step step) {}

    private final Writer out;
    private boolean failed;

    private DecisionLog(Writer out) {
        this.out = out;
    }

    /** A log into {@code directory}, or one that writes nothing when it is null. */
    static DecisionLog in(Path directory) {
        if (directory == null) {
            return new DecisionLog(null);
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("decisions-" + ProcessHandle.current().pid() + ".jsonl");
            return new DecisionLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            log.warn("Decisions are not written: {} cannot be written ({})", directory, e.getMessage());
            return new DecisionLog(null);
        }
    }

    synchronized void write(Decision decision) {
        if (out == null || failed) {
            return;
        }
        try {
            out.write(JSON.writeValueAsString(decision));
            out.write('\n');
            out.flush();
        } catch (IOException | RuntimeException e) {
            failed = true;
            log.warn("Writing decisions stopped: {}", e.getMessage());
        }
    }
}
