package dev.familiar.grandpa.core.openai;

import dev.familiar.grandpa.core.api.SubmitTaskRequest;
import dev.familiar.grandpa.core.api.TaskFollowing;
import dev.familiar.grandpa.core.api.TaskIntake;
import dev.familiar.grandpa.core.events.EventLines;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.Repository;
import dev.familiar.grandpa.store.event.TaskEvent;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI-compatible door, so editors and agents that speak the chat API hand grandpa work:
 * {@code POST /v1/chat/completions} with model {@code grandpa} (or {@code grandpa/<repository>} to work
 * in a configured repository) makes the last user message a task, or, in a conversation grandpa already
 * answered, continues its task (a blocked one is resumed with the message as the note; one still
 * running is followed on; a finished one is followed by a new task that carries the conversation).
 * Streamed, the task's progress comes as {@code reasoning_content} while it runs, and its result as the
 * content at the end; either way the answer ends by naming its task. {@code GET /v1/models} lists the
 * models. The API's tokens and roles apply (submitting needs OPERATOR).
 */
@RestController
class ChatCompletionsController implements ApplicationListener<ContextClosedEvent> {
    static final String MODEL = "grandpa";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<TaskStatus> OVER = Set.of(TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.BLOCKED);
    private static final int MAX_REQUEST_CHARS = 100_000;
    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final TaskIntake intake;
    private final TaskLedger ledger;
    private final TaskRepository tasks;
    private final TaskFollowing following;
    private final Repositories repositories;
    private final OpenAiDoorSettings settings;
    private final TaskUsage usage;
    private final long started = Instant.now().getEpochSecond();
    private volatile boolean closing;

    public ChatCompletionsController(TaskIntake intake, TaskLedger ledger, TaskRepository tasks, TaskFollowing following,
                                     Repositories repositories, OpenAiDoorSettings settings, TaskUsage usage) {
        this.intake = intake;
        this.ledger = ledger;
        this.tasks = tasks;
        this.following = following;
        this.repositories = repositories;
        this.settings = settings;
        this.usage = usage;
    }

    @GetMapping("/v1/models")
    public Map<String, Object> models() {
        var data = new ArrayList<Map<String, Object>>();
        data.add(model(MODEL));
        repositories.all().forEach(r -> data.add(model(MODEL + "/" + r.name())));
        return Map.of("object", "list", "data", data);
    }

    private Map<String, Object> model(String id) {
        return Map.of("id", id, "object", "model", "created", started, "owned_by", "grandpa");
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Object complete(@RequestBody JsonNode body) {
        var refusal = RequestShape.refusal(body);
        if (refusal.isPresent()) {
            return error(HttpStatus.BAD_REQUEST, refusal.get().code(), refusal.get().message());
        }
        String model = body.path("model").asString("");
        Optional<String> repo = repository(model);
        if (repo == null) {
            return error(HttpStatus.NOT_FOUND, "model_not_found", "There is no model '" + model + "' here: this door serves '"
                    + MODEL + "', and '" + MODEL + "/<repository>' for each configured repository (GET /v1/models)");
        }
        Conversation conversation;
        try {
            conversation = Conversation.of(body.path("messages"));
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_messages", e.getMessage());
        }
        if (conversation.request().length() > MAX_REQUEST_CHARS) {
            return error(HttpStatus.BAD_REQUEST, "request_too_long", "the last user message is longer than "
                    + MAX_REQUEST_CHARS + " characters");
        }
        UUID task;
        try {
            task = taskFor(conversation, repo.orElse(null));
        } catch (ErrorResponseException e) {
            return error(e.getStatusCode(), "rejected", e.getBody().getDetail(), e.getHeaders());
        }
        var reply = new Reply(task, "chatcmpl-" + task + "-" + System.nanoTime(), model, Instant.now().getEpochSecond());
        return body.path("stream").asBoolean(false)
                ? stream(reply, body.path("stream_options").path("include_usage").asBoolean(false)) : whole(reply);
    }

    /** Null when no such model; else the repository it works in, if any. */
    private Optional<String> repository(String model) {
        if (model.equals(MODEL)) {
            return Optional.empty();
        }
        if (model.startsWith(MODEL + "/")) {
            return repositories.find(model.substring(MODEL.length() + 1)).map(Repository::name).map(Optional::of).orElse(null);
        }
        return null;
    }

    /** The task this request is about: the conversation's own, going on, or a new one. */
    private UUID taskFor(Conversation conversation, String repo) {
        Optional<Task> earlier = conversation.task().flatMap(tasks::find);
        if (earlier.isPresent()) {
            Task t = earlier.get();
            if (t.status() == TaskStatus.BLOCKED) {
                ledger.resume(t.id(), conversation.request());
                return t.id();
            }
            if (TaskStatus.WORKABLE.contains(t.status())) {
                return t.id();
            }
        }
        var request = new SubmitTaskRequest(null, conversation.goal(settings.contextChars()), repo, List.of("openai"), null, null);
        return intake.submit(request, null).task().id();
    }

    private record Reply(UUID task, String id, String model, long created) {}

    private ResponseEntity<Map<String, Object>> whole(Reply reply) {
        Task ended;
        try {
            ended = follow(reply.task(), event -> { }, () -> { });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(HttpStatus.SERVICE_UNAVAILABLE, "interrupted", "the service is stopping; ask again");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the listener writes nothing for a whole answer
        }
        var message = Map.of("role", "assistant", "content", answer(ended, reply.task()));
        var choice = new LinkedHashMap<String, Object>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("finish_reason", "stop");
        var completion = new LinkedHashMap<String, Object>();
        completion.put("id", reply.id());
        completion.put("object", "chat.completion");
        completion.put("created", reply.created());
        completion.put("model", reply.model());
        completion.put("choices", List.of(choice));
        completion.put("usage", usage.of(reply.task()));
        return ResponseEntity.ok(completion);
    }

    /**
     * Server-sent events as OpenAI writes them ({@code data: } and a space, a blank line after each, a
     * {@code [DONE]} at the end), which strict parsers insist on: the usage chunk comes last when asked for.
     */
    private ResponseEntity<ResponseBodyEmitter> stream(Reply reply, boolean includeUsage) {
        var emitter = new ResponseBodyEmitter(settings.followFor().plusMinutes(1).toMillis());
        Thread.ofVirtual().name("openai-" + reply.task()).start(() -> {
            try {
                send(emitter, chunk(reply, Map.of("role", "assistant", "content", ""), null));
                Task ended = follow(reply.task(), line -> send(emitter, chunk(reply, Map.of("reasoning_content", line + "\n"), null)),
                        () -> emitter.send(": keep-alive\n\n", TEXT));
                send(emitter, chunk(reply, Map.of("content", answer(ended, reply.task())), null));
                send(emitter, chunk(reply, Map.of(), "stop"));
                if (includeUsage) {
                    var last = chunk(reply, Map.of(), null);
                    last.put("choices", List.of());
                    last.put("usage", usage.of(reply.task()));
                    send(emitter, last);
                }
                emitter.send("data: [DONE]\n\n", TEXT);
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e); // the client went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } catch (RuntimeException e) {
                emitter.completeWithError(e);
            }
        });
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).header("Cache-Control", "no-cache").body(emitter);
    }

    private interface Lines {
        void line(String line) throws IOException;
    }

    private interface Quiet {
        void quiet() throws IOException;
    }

    /** Follows the task to its end or the wait's; returns it as it is then. */
    private Task follow(UUID id, Lines lines, Quiet quiet) throws IOException, InterruptedException {
        following.follow(id, 0, OVER, settings.followFor(), () -> closing, new TaskFollowing.Listener() {
            @Override
            public void event(TaskEvent e) throws IOException {
                String line = EventLines.line(e, false);
                if (line != null) {
                    lines.line(line);
                }
            }

            @Override
            public void quiet() throws IOException {
                quiet.quiet();
            }
        });
        return tasks.find(id).orElseThrow();
    }

    /** What the answer says: the result, or why there is none yet; it ends by naming the task. */
    static String answer(Task t, UUID id) {
        String text = switch (t.status()) {
            case DONE -> t.result() == null || t.result().isBlank() ? "Done." : t.result().strip();
            case BLOCKED -> "grandpa could not finish this: " + t.statusReason()
                    + "\n\nAnswer here with what it needs, and it goes on from there.";
            case CANCELLED -> "The task was cancelled" + (t.statusReason() == null ? "." : ": " + t.statusReason());
            default -> "Still working on it (" + t.status().name().toLowerCase() + (t.statusReason() == null ? ""
                    : ": " + t.statusReason()) + "). Ask again in this conversation to follow it further.";
        };
        return text + "\n\n" + Conversation.mark(id);
    }

    private static LinkedHashMap<String, Object> chunk(Reply reply, Map<String, Object> delta, String finishReason) {
        var choice = new LinkedHashMap<String, Object>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finishReason);
        var chunk = new LinkedHashMap<String, Object>();
        chunk.put("id", reply.id());
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", reply.created());
        chunk.put("model", reply.model());
        chunk.put("choices", List.of(choice));
        return chunk;
    }

    private static void send(ResponseBodyEmitter emitter, Map<String, Object> chunk) throws IOException {
        emitter.send("data: " + JSON.writeValueAsString(chunk) + "\n\n", TEXT);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatusCode status, String code, String message) {
        return error(status, code, message, HttpHeaders.EMPTY);
    }

    /** An error in OpenAI's shape, which its clients show. */
    private static ResponseEntity<Map<String, Object>> error(HttpStatusCode status, String code, String message,
                                                             HttpHeaders headers) {
        var error = new LinkedHashMap<String, Object>();
        error.put("message", message);
        error.put("type", status.is4xxClientError() ? "invalid_request_error" : "server_error");
        error.put("param", null);
        error.put("code", code);
        return ResponseEntity.status(status).headers(headers).body(Map.of("error", error));
    }

    /** The service is stopping: followers end, and their answers say the task goes on. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closing = true;
    }
}
