package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.security.SubmissionLimits;
import dev.familiar.grandpa.store.jdbc.JsonColumns;
import dev.familiar.grandpa.store.task.NewTask;
import dev.familiar.grandpa.store.task.Task;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * How a task comes in through any door (the REST API, the OpenAI-compatible one): the caller's rate
 * limit, the repository it names, then stored; once this returns, the task is in the database.
 */
@Component
public class TaskIntake {
    /** The stored task, and whether this request made it (false: the same idempotency key came before). */
    public record Intake(Task task, boolean created) {}

    private final TaskLedger ledger;
    private final SubmissionLimits limits;
    private final Repositories repositories;

    public TaskIntake(TaskLedger ledger, SubmissionLimits limits, Repositories repositories) {
        this.ledger = ledger;
        this.limits = limits;
        this.repositories = repositories;
    }

    /**
     * @throws TooManyRequestsException the caller's token submitted too many tasks in the last minute
     * @throws BadRequestException      it names a repository or check that is not configured
     * @throws ConflictException        repositories cannot be worked now, or the key was used for another request
     */
    public Intake submit(SubmitTaskRequest request, String idempotencyKey) {
        if (!limits.allow()) {
            throw new TooManyRequestsException("this token submitted too many tasks in the last minute "
                    + "(grandpa.security.submissions-per-minute); try again in a minute");
        }
        StoredText.check("goal", request.goal()); // the REST door's JSON reader refused these already; other doors not
        StoredText.check("title", request.title());
        StoredText.check("repo", request.repo());
        StoredText.check("acceptanceCommand", request.acceptanceCommand());
        if (request.labels() != null) {
            request.labels().forEach(label -> StoredText.check("labels", label));
        }
        repositories.problem(request.repo(), request.acceptanceCommand()).ifPresent(problem -> {
            throw new BadRequestException(problem);
        });
        if (request.repo() != null) {
            repositories.unavailable().ifPresent(problem -> {
                throw new ConflictException(problem);
            });
        }
        String hash = sha256(JsonColumns.write(request));
        String title = request.title() == null || request.title().isBlank() ? titleFrom(request.goal()) : request.title();
        var submission = ledger.accept(new NewTask(title, request.goal(), request.repo(), request.labels(),
                request.priority() == null ? 0 : request.priority(), request.acceptanceCommand(), idempotencyKey, hash));
        Task task = submission.task();
        if (!submission.created() && !hash.equals(task.requestHash())) {
            throw new ConflictException("Idempotency-Key '" + idempotencyKey + "' was already used for a different request (task "
                    + task.id() + ")");
        }
        return new Intake(task, submission.created());
    }

    private static String titleFrom(String goal) {
        String line = goal.strip().lines().findFirst().orElse("");
        return line.length() <= 80 ? line : line.substring(0, 79) + "…";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
