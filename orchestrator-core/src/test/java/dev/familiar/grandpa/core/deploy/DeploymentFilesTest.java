package dev.familiar.grandpa.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files hold together where no container engine runs to check them ({@code docker compose
 * config} where one does): every file compose mounts or builds from exists, the image it builds is the
 * project's Dockerfile, every service restarts and is health-checked, ports are published on loopback
 * unless configured, Prometheus's configuration loads the rules file compose mounts, and the systemd unit
 * runs the jar the Dockerfile packages with its environment file, hardened as systemd rates it.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeNamesOnlyFilesThatExistAndPublishesOnLoopback() throws IOException {
        var compose = yaml(ROOT.resolve("docker-compose.yml"));
        var services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("postgres", "grandpa", "prometheus", "grafana");
        services.forEach((name, service) -> {
            assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
            assertThat(service).as(name).containsKey("healthcheck");
            for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
                if (volume instanceof Map<?, ?> bind) { // a file the user makes: never made by compose in its place
                    assertThat(((Map<String, Object>) bind.get("bind")).get("create_host_path")).as(name + " " + bind)
                            .isEqualTo(false);
                    continue;
                }
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source)).as(name + " mounts " + source).exists();
                } else {
                    assertThat((Map<String, Object>) compose.get("volumes")).as(name).containsKey(source);
                }
            }
            for (String port : (List<String>) service.getOrDefault("ports", List.of())) {
                assertThat(port).as(name + " publishes " + port).matches("\\$\\{[A-Z_]+:-127\\.0\\.0\\.1}:\\d+:\\d+");
            }
        });
        assertThat(services.get("grandpa").get("build")).isEqualTo(".");
        assertThat(ROOT.resolve("Dockerfile")).exists();
        assertThat((List<String>) services.get("grandpa").get("volumes")).noneMatch(v -> v.contains(".jar"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusLoadsTheRulesComposeMounts() throws IOException {
        var prometheus = yaml(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        List<String> rules = (List<String>) prometheus.get("rule_files");
        var compose = yaml(ROOT.resolve("docker-compose.yml"));
        var mounts = (List<Object>) ((Map<String, Map<String, Object>>) compose.get("services")).get("prometheus").get("volumes");
        assertThat(rules).allSatisfy(rule -> assertThat(mounts).anyMatch(m -> m instanceof String s && s.split(":")[1].equals(rule)));
    }

    @Test
    void theImageAndTheUnitRunTheSameJarAsAnUnprivilegedUser() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("COPY --from=build /src/orchestrator-core/target/grandpa.jar /opt/grandpa/grandpa.jar",
                "USER grandpa", "HEALTHCHECK", "bubblewrap", "git");
        String unit = Files.readString(ROOT.resolve("deploy/systemd/grandpa.service"));
        assertThat(unit).contains("User=grandpa", "EnvironmentFile=/etc/grandpa/grandpa.env", "-jar /opt/grandpa/grandpa.jar",
                "Restart=on-failure", "ReadWritePaths=/var/lib/grandpa");
        String env = Files.readString(ROOT.resolve("deploy/systemd/grandpa.env"));
        assertThat(env).contains("GRANDPA_ADDRESS=127.0.0.1");
        assertThat(env.lines().filter(l -> !l.startsWith("#") && l.contains("TOKEN="))).isEmpty(); // no secret shipped
    }

    /**
     * systemd's own rating of the unit: 3.0 or lower ("OK"). That the sandbox still works under these settings is
     * checked by running its tests under them, as the unit's user, with a real systemd (scripts/systemd-check.sh).
     */
    @Test
    void systemdRatesTheUnitsExposureAtMost3() throws Exception {
        assertThat(Path.of("/usr/bin/systemd-analyze")).as("systemd-analyze is installed (.ci/run installs systemd)").exists();
        Process analyze = new ProcessBuilder("systemd-analyze", "security", "--offline=true", "--no-pager",
                ROOT.resolve("deploy/systemd/grandpa.service").toString()).redirectErrorStream(true).start();
        String report = new String(analyze.getInputStream().readAllBytes());
        analyze.waitFor();
        var rating = java.util.regex.Pattern.compile("Overall exposure level for grandpa.service: ([0-9.]+)").matcher(report);
        assertThat(rating.find()).as(report).isTrue();
        assertThat(Double.parseDouble(rating.group(1))).as(report).isLessThanOrEqualTo(3.0);
    }
}
