package dev.familiar.grandpa.testkit.demo;

import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * The {@code demo} profile: stand-in model servers in this process, on the loopback ports that the
 * configured grandpa model and coder backends point at, so grandpa can be tried without a GPU.
 * They are not models; their answers are scripted, and they say so ({@code owned_by: stand-in}).
 * An auto-configuration of the test kit, so the service's own code knows nothing of it.
 */
@AutoConfiguration
@Profile("demo")
public class DemoModels {
    private static final Logger log = LoggerFactory.getLogger(DemoModels.class);

    /** The part of {@code grandpa.backends[i]} the demo needs. */
    record Backend(String name, String baseUrl) {}

    /** The running stand-ins; closing the context stops them. */
    public static final class Servers implements AutoCloseable {
        private final List<StandInLlamaServer> servers;

        Servers(List<StandInLlamaServer> servers) {
            this.servers = List.copyOf(servers);
        }

        public List<String> urls() {
            return servers.stream().map(StandInLlamaServer::baseUrl).toList();
        }

        @Override
        public void close() {
            servers.forEach(StandInLlamaServer::close);
        }
    }

    @Bean(destroyMethod = "close")
    Servers demoStandIns(Environment environment) {
        Binder binder = Binder.get(environment);
        String grandpaUrl = binder.bind("grandpa.model.base-url", String.class).orElse("http://127.0.0.1:18480/v1");
        List<Backend> backends = binder.bind("grandpa.backends", Bindable.listOf(Backend.class)).orElse(List.of());
        var servers = new ArrayList<StandInLlamaServer>();
        servers.add(StandInLlamaServer.start("stand-in-grandpa", port(grandpaUrl), new StandInGrandpa()));
        for (Backend backend : backends) {
            servers.add(StandInLlamaServer.start(backend.name(), port(backend.baseUrl()), new StandInCoder(backend.name())));
        }
        log.warn("DEMO PROFILE: the grandpa model and {} coder backend(s) are scripted STAND-INS, not real models",
                backends.size());
        return new Servers(servers);
    }

    private static int port(String baseUrl) {
        return URI.create(baseUrl).getPort();
    }
}
