package dev.familiar.grandpa.core.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The body of {@code POST /api/tasks}. Only the goal is required. */
public record SubmitTaskRequest(
        @Size(max = 200) String title,
        @NotBlank @Size(max = 100_000) String goal,
        @Size(max = 500) String repo,
        @Size(max = 32) List<@NotBlank @Size(max = 64) String> labels,
        @Min(0) @Max(10) Integer priority,
        @Size(max = 2_000) String acceptanceCommand) {}
