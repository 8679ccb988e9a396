package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tasks")
public class TaskController {

    public record Accepted(UUID id, String status, boolean created) {}

    public record Page(List<TaskViews.TaskSummary> items, int page, int size, long total) {}

    public record ResumeRequest(@Size(max = 10_000) String note) {}

    private final TaskLedger ledger;
    private final TaskRepository tasks;
    private final TaskViews views;
    private final TaskIntake intake;
    private final TaskBranches branches;

    public TaskController(TaskLedger ledger, TaskRepository tasks, TaskViews views, TaskIntake intake,
                          TaskBranches branches) {
        this.ledger = ledger;
        this.tasks = tasks;
        this.views = views;
        this.intake = intake;
        this.branches = branches;
    }

    /** Stores the task and answers 202; once answered, the task is in the database. */
    @PostMapping
    public ResponseEntity<Accepted> submit(@Valid @RequestBody SubmitTaskRequest request,
                                           @RequestHeader(name = "Idempotency-Key", required = false)
                                           @Size(min = 1, max = 200) String idempotencyKey) {
        var intake = this.intake.submit(request, idempotencyKey);
        Task task = intake.task();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/tasks/" + task.id()))
                .body(new Accepted(task.id(), task.status().name(), intake.created()));
    }

    @GetMapping
    public Page list(@RequestParam(name = "status", required = false) List<TaskStatus> status,
                     @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                     @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size,
                     @RequestParam(name = "idPrefix", required = false) @Pattern(regexp = "[0-9a-fA-F-]{4,36}",
                             message = "is the start of a task id: 4 to 36 hex digits") String idPrefix) {
        if (idPrefix != null) { // an id as the dashboard shows it: its first eight characters
            var items = tasks.withIdPrefix(idPrefix, size).stream().map(TaskViews.TaskSummary::of).toList();
            return new Page(items, 0, size, items.size());
        }
        List<TaskStatus> statuses = status == null ? List.of() : status;
        var items = tasks.list(statuses, size, (long) page * size).stream().map(TaskViews.TaskSummary::of).toList();
        return new Page(items, page, size, tasks.count(statuses));
    }

    @GetMapping("/{id}")
    public TaskViews.TaskDetail get(@PathVariable UUID id) {
        return views.detail(find(id));
    }

    /** The unified diff of the task's branch since its base: everything its accepted changes did. */
    @GetMapping(value = "/{id}/diff", produces = "text/x-diff")
    public ResponseEntity<String> diff(@PathVariable UUID id) {
        Task task = find(id);
        if (branches.find(id).isEmpty()) {
            throw new TaskNotFoundException("task " + id + " has no branch: "
                    + (task.repo() == null ? "it works in no repository" : "its work has not started yet"));
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/x-diff;charset=UTF-8"))
                .body(branches.diff(task));
    }

    @PostMapping("/{id}/cancel")
    public TaskViews.TaskSummary cancel(@PathVariable UUID id) {
        find(id);
        ledger.cancel(id, "cancelled through the API").ifPresent(problem -> {
            throw new ConflictException(problem);
        });
        return TaskViews.TaskSummary.of(find(id));
    }

    @PostMapping("/{id}/resume")
    public ResponseEntity<TaskViews.TaskSummary> resume(@PathVariable UUID id,
                                                        @Valid @RequestBody(required = false) ResumeRequest request) {
        find(id);
        ledger.resume(id, request == null ? null : request.note()).ifPresent(problem -> {
            throw new ConflictException(problem);
        });
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(TaskViews.TaskSummary.of(find(id)));
    }

    Task find(UUID id) {
        return tasks.find(id).orElseThrow(() -> new TaskNotFoundException(id));
    }
}
