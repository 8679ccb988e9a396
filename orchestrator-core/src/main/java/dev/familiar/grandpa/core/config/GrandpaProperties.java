package dev.familiar.grandpa.core.config;

import dev.familiar.grandpa.core.backends.BackendSettings;
import dev.familiar.grandpa.core.backends.DelegationSettings;
import dev.familiar.grandpa.core.context.ContextSettings;
import dev.familiar.grandpa.core.repository.RepositorySettings;
import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.core.work.EngineSettings;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything grandpa is told in {@code grandpa.*}, each part a record of the feature it configures.
 * The defaults run a service that talks to a llama-server on localhost:8000 and has no coder backends
 * yet (tasks then wait and say why).
 */
@ConfigurationProperties("grandpa")
record GrandpaProperties(@DefaultValue ModelSettings model, List<BackendSettings> backends,
                                @DefaultValue EngineSettings engine, @DefaultValue DelegationSettings delegation,
                                @DefaultValue ContextSettings context, List<RepositorySettings> repositories) {

    public GrandpaProperties {
        backends = backends == null ? List.of() : List.copyOf(backends);
        repositories = repositories == null ? List.of() : List.copyOf(repositories);
    }
}
