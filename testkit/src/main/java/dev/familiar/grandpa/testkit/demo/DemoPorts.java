package dev.familiar.grandpa.testkit.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * The demo's stand-ins listen on fixed loopback ports (18480-18482) so a user can point curl at them;
 * where one is taken (another demo, a test, anything), its stand-in gets a free port instead, the
 * configuration follows it, and the log says so. Before any bean reads the URLs.
 */
public class DemoPorts implements EnvironmentPostProcessor, Ordered {
    private final Log log;

    public DemoPorts(DeferredLogFactory logs) {
        this.log = logs.getLog(DemoPorts.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of("demo"))) {
            return;
        }
        var moved = new LinkedHashMap<String, Object>();
        move("grandpa.model.base-url", environment, moved);
        for (int i = 0; environment.containsProperty("grandpa.backends[" + i + "].name"); i++) {
            move("grandpa.backends[" + i + "].base-url", environment, moved);
        }
        if (!moved.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("demo-free-ports", moved));
        }
    }

    private void move(String property, ConfigurableEnvironment environment, Map<String, Object> moved) {
        String url = environment.getProperty(property);
        if (url == null) {
            return;
        }
        URI uri = URI.create(url);
        if (uri.getPort() <= 0 || free(uri.getPort())) {
            return;
        }
        int port = freePort();
        String now = url.replaceFirst(":" + uri.getPort() + "(?=/|$)", ":" + port);
        moved.put(property, now);
        log.warn("DEMO PROFILE: port " + uri.getPort() + " is taken, so " + property + " is " + now);
    }

    private static boolean free(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on loopback for the demo's stand-ins", e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files and profiles are read
    }
}
