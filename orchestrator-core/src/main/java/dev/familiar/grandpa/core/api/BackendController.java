package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.core.backends.BackendCatalog;
import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import dev.familiar.grandpa.delegation.routing.OutcomeHistory;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.store.backend.BackendRecord;
import dev.familiar.grandpa.store.backend.BackendSource;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/backends}: the coder backends, their live state (health, circuit, calls in flight) and
 * recorded success per capability; add one, change one, enable, disable, drain or delete one. API keys
 * are never accepted or shown: a backend names the environment variable that holds its key. Commands
 * are never accepted: command-line agents come from the configuration file only.
 */
@RestController
@RequestMapping("/api/backends")
public class BackendController {

    public record BackendRequest(
            @NotBlank @Size(max = 64) String name,
            BackendKind kind,
            @Size(max = 500) String baseUrl,
            @Size(max = 200) String model,
            @Size(max = 100) String apiKeyEnv,
            String apiKey,
            @Size(max = 64) List<@Size(max = 1000) String> command,
            @Size(max = 1000) String workingDirectory,
            @Size(max = 32) Set<@NotBlank @Size(max = 64) String> capabilities,
            @Min(1) @Max(256) Integer slots,
            @Min(1) @Max(86_400) Integer timeoutSeconds,
            @Min(1) Integer contextLimit,
            @Min(0) Double cost) {}

    /** Every field is optional; those given replace the stored ones. */
    public record BackendPatch(
            Boolean enabled,
            Boolean draining,
            @Size(max = 500) String baseUrl,
            @Size(max = 200) String model,
            @Size(max = 100) String apiKeyEnv,
            String apiKey,
            @Size(max = 64) List<@Size(max = 1000) String> command,
            @Size(max = 1000) String workingDirectory,
            @Size(max = 32) Set<@NotBlank @Size(max = 64) String> capabilities,
            @Min(1) @Max(256) Integer slots,
            @Min(1) @Max(86_400) Integer timeoutSeconds,
            @Min(1) Integer contextLimit,
            @Min(0) Double cost) {}

    public record Live(boolean available, boolean healthy, String circuit, int activeCalls, int routedCalls) {}

    public record Success(long succeeded, long failed, double rate) {}

    public record BackendView(String name, BackendKind kind, String baseUrl, String model, String apiKeyEnv,
                              boolean apiKeySet, List<String> command, String workingDirectory, List<String> capabilities,
                              int slots, long timeoutSeconds, Integer contextLimit, double cost, boolean enabled,
                              boolean draining, String source, Live live, Map<String, Success> success) {}

    private final BackendCatalog catalog;
    private final BackendRegistry registry;
    private final Router router;
    private final OutcomeHistory history;

    public BackendController(BackendCatalog catalog, BackendRegistry registry, Router router, OutcomeHistory history) {
        this.catalog = catalog;
        this.registry = registry;
        this.router = router;
        this.history = history;
    }

    @GetMapping
    public List<BackendView> list() {
        return catalog.all().stream().map(this::view).toList();
    }

    @GetMapping("/{name}")
    public BackendView get(@PathVariable String name) {
        return view(find(name));
    }

    @PostMapping
    public ResponseEntity<BackendView> add(@Valid @RequestBody BackendRequest r) {
        refuseKey(r.apiKey());
        BackendSpec spec = spec(() -> new BackendSpec.Draft(r.name(), r.kind(), r.baseUrl(), r.model(), r.apiKeyEnv(),
                r.command(), r.workingDirectory(), r.capabilities(), r.slots(),
                r.timeoutSeconds() == null ? null : Duration.ofSeconds(r.timeoutSeconds()), r.contextLimit(), r.cost()).toSpec());
        if (!checked(() -> catalog.add(spec))) {
            throw new ConflictException("a backend named " + r.name() + " exists (names are the same whatever their case); "
                    + "change it with PATCH /api/backends/{name}");
        }
        return ResponseEntity.created(URI.create("/api/backends/" + r.name())).body(view(find(r.name())));
    }

    @PatchMapping("/{name}")
    public BackendView patch(@PathVariable String name, @Valid @RequestBody BackendPatch p) {
        refuseKey(p.apiKey());
        if (p.command() != null || p.workingDirectory() != null) {
            throw new BadRequestException("a command-line agent's command and working directory are set only in the "
                    + "configuration file (grandpa.backends[i].command), never through the API");
        }
        BackendRecord r = find(name);
        BackendSpec current = BackendCatalog.spec(r);
        BackendSpec changed = spec(() -> new BackendSpec(name, current.kind(), or(p.baseUrl(), current.baseUrl()),
                or(p.model(), current.model()), or(p.apiKeyEnv(), current.apiKeyEnv()), or(p.command(), current.command()),
                or(p.workingDirectory(), current.workingDirectory()), or(p.capabilities(), current.capabilities()),
                or(p.slots(), current.slots()),
                p.timeoutSeconds() == null ? current.timeout() : Duration.ofSeconds(p.timeoutSeconds()),
                or(p.contextLimit(), current.contextLimit()), or(p.cost(), current.cost())));
        if (!changed.equals(current)) {
            checked(() -> catalog.update(changed));
        }
        if (p.enabled() != null || p.draining() != null) {
            catalog.setFlags(name, or(p.enabled(), r.enabled()), or(p.draining(), r.draining()));
        }
        return view(find(name));
    }

    /** Removes a backend registered through the API; one from the configuration file is removed there. */
    @DeleteMapping("/{name}")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        BackendRecord r = find(name);
        if (r.source() == BackendSource.CONFIG) {
            throw new ConflictException("backend " + name + " comes from the configuration file, which adds it again at every "
                    + "start: remove it there, or disable it with PATCH {\"enabled\": false}");
        }
        catalog.remove(name);
        return ResponseEntity.noContent().build();
    }

    private BackendRecord find(String name) {
        return catalog.find(name).orElseThrow(() -> new NotFoundException("no backend is named " + name));
    }

    private BackendView view(BackendRecord r) {
        CoderBackend live = registry.find(r.name()).orElse(null);
        var success = new LinkedHashMap<String, Success>();
        for (String capability : r.capabilities()) {
            var o = history.of(r.name(), capability);
            success.put(capability, new Success(o.succeeded(), o.failed(), o.rate()));
        }
        return new BackendView(r.name(), BackendKind.valueOf(r.kind()), r.baseUrl(), r.model(), r.apiKeyEnv(),
                r.apiKeyEnv() != null && System.getenv(r.apiKeyEnv()) != null, r.command(), r.workingDirectory(),
                r.capabilities(), r.slots(), r.timeoutMs() / 1000, r.contextLimit(), r.cost(), r.enabled(), r.draining(),
                r.source().name(), live == null ? null : new Live(live.available(), live.healthy(), live.circuit(),
                        live.activeCalls(), router.loadOf(live.name())),
                success);
    }

    private static void refuseKey(String apiKey) {
        if (apiKey != null) {
            throw new BadRequestException("API keys are not accepted here; start grandpa with the key in an environment "
                    + "variable and give its name as apiKeyEnv");
        }
    }

    private static BackendSpec spec(java.util.function.Supplier<BackendSpec> build) {
        return checked(build);
    }

    /** What the backend's rules refuse is the client's to fix: 400 with the reason. */
    private static <T> T checked(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static <T> T or(T given, T current) {
        return given != null ? given : current;
    }

    static class NotFoundException extends org.springframework.web.ErrorResponseException {
        NotFoundException(String detail) {
            super(HttpStatus.NOT_FOUND, org.springframework.http.ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail), null);
        }
    }
}
