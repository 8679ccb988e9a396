package dev.familiar.grandpa.core.demo;

import dev.familiar.grandpa.core.config.GrandpaProperties;
import dev.familiar.grandpa.runtime.standin.StandInLlamaServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The {@code demo} profile: stand-in model servers in this process, on the loopback ports that the
 * configured grandpa model and coder backends point at, so grandpa can be tried without a GPU.
 * They are not models; their answers are scripted.
 */
@Component
@Profile("demo")
public class DemoModels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoModels.class);

    private final List<StandInLlamaServer> servers = new ArrayList<>();

    public DemoModels(GrandpaProperties properties) {
        servers.add(StandInLlamaServer.start("stand-in-grandpa", port(properties.model().baseUrl()), new StandInGrandpa()));
        for (GrandpaProperties.Backend backend : properties.backends()) {
            servers.add(StandInLlamaServer.start(backend.name(), port(backend.baseUrl()), new StandInCoder(backend.name())));
        }
        log.warn("DEMO PROFILE: the grandpa model and {} coder backend(s) are scripted STAND-INS, not real models",
                properties.backends().size());
    }

    public List<String> urls() {
        return servers.stream().map(StandInLlamaServer::baseUrl).toList();
    }

    private static int port(String baseUrl) {
        return URI.create(baseUrl).getPort();
    }

    @Override
    public void close() {
        servers.forEach(StandInLlamaServer::close);
    }
}
