package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.core.backends.StandIns;
import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/models}: the grandpa model and the coder backends this instance talks to (their
 * live state is under {@code /api/backends}), and whether each says it is a stand-in rather than a
 * real model (a stand-in's {@code /v1/models} lists itself as {@code owned_by: stand-in}). Keys are
 * never shown, nor sent with this question.
 */
@RestController
class ModelController {
    public record ModelView(String name, String baseUrl, boolean standIn) {}

    public record BackendView(String name, String baseUrl, String model, Set<String> capabilities, int slots,
                              Duration timeout, double cost, boolean standIn) {}

    public record Models(ModelView grandpa, List<BackendView> backends) {}

    private final ModelSettings model;
    private final BackendRegistry backends;

    public ModelController(ModelSettings model, BackendRegistry backends) {
        this.model = model;
        this.backends = backends;
    }

    @GetMapping("/api/models")
    public Models models() {
        var grandpa = StandIns.ask(model.baseUrl());
        var specs = backends.all().stream().map(CoderBackend::spec).toList();
        var checks = specs.stream().map(b -> StandIns.ask(b.baseUrl())).toList();
        return new Models(new ModelView(model.name(), model.baseUrl(), grandpa.join()),
                java.util.stream.IntStream.range(0, specs.size()).mapToObj(i -> view(specs.get(i), checks.get(i).join())).toList());
    }

    private static BackendView view(BackendSpec b, boolean standIn) {
        return new BackendView(b.name(), b.baseUrl(), b.model(), b.capabilities(), b.slots(), b.timeout(), b.cost(), standIn);
    }
}
