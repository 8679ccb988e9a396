package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.core.config.GrandpaProperties;
import dev.familiar.grandpa.core.demo.DemoModels;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/models}: the grandpa model and the coder backends this instance talks to (their
 * live state is under {@code /api/backends}), and
 * whether each is a stand-in started by the demo profile rather than a real model. Keys are never shown.
 */
@RestController
public class ModelController {

    public record ModelView(String name, String baseUrl, boolean standIn) {}

    public record BackendView(String name, String baseUrl, String model, Set<String> capabilities, int slots,
                              Duration timeout, double cost, boolean standIn) {}

    public record Models(ModelView grandpa, List<BackendView> backends) {}

    private final GrandpaProperties properties;
    private final BackendRegistry backends;
    private final List<String> standIns;

    public ModelController(GrandpaProperties properties, BackendRegistry backends, Optional<DemoModels> demo) {
        this.properties = properties;
        this.backends = backends;
        this.standIns = demo.map(DemoModels::urls).orElse(List.of());
    }

    @GetMapping("/api/models")
    public Models models() {
        var model = properties.model();
        return new Models(new ModelView(model.name(), model.baseUrl(), standIn(model.baseUrl())),
                backends.all().stream().map(CoderBackend::spec)
                        .map(b -> new BackendView(b.name(), b.baseUrl(), b.model(), b.capabilities(), b.slots(),
                                b.timeout(), b.cost(), b.baseUrl() != null && standIn(b.baseUrl())))
                        .toList());
    }

    private boolean standIn(String baseUrl) {
        return standIns.stream().anyMatch(url -> url.equals(baseUrl.replace("localhost", "127.0.0.1")));
    }
}
