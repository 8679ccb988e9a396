package dev.familiar.grandpa.workspace.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The network of one sandboxed run, made with pasta (Debian's passt) so that nothing of the host's
 * loopback is reachable: what goes before bubblewrap on the command line, what bubblewrap adds, and
 * what is undone after. As root, pasta serves a named namespace the command is put into with
 * {@code ip netns exec} (pasta cannot give a user namespace to bubblewrap there); as another user,
 * pasta runs the command itself, in namespaces it made.
 */
final class NamespaceNetwork implements AutoCloseable {
    static final String PREFIX = "grandpa-" + ProcessHandle.current().pid() + "-";
    private static final AtomicLong NAMES = new AtomicLong();
    private static final String IP = Sandbox.find("ip").map(Path::toString).orElse("ip");

    private final List<String> prefix;
    private final List<String> bwrapArgs;
    private final List<AutoCloseable> undo;

    private NamespaceNetwork(List<String> prefix, List<String> bwrapArgs, List<AutoCloseable> undo) {
        this.prefix = List.copyOf(prefix);
        this.bwrapArgs = List.copyOf(bwrapArgs);
        this.undo = undo;
    }

    /**
     * @param pasta   the pasta executable, or null when not installed (then only {@link Network#NONE} runs)
     * @param root    whether grandpa runs as root
     * @param scratch where the sandbox's hosts file is written
     */
    static NamespaceNetwork open(Network network, Path pasta, boolean root, Path scratch) {
        if (network instanceof Network.None) {
            return new NamespaceNetwork(List.of(), List.of("--unshare-net"), List.of());
        }
        if (pasta == null) {
            throw new IllegalStateException("pasta is not installed, so a command that needs the network is not run: "
                    + "install it (Debian: apt-get install passt)");
        }
        var undo = new ArrayList<AutoCloseable>();
        try {
            var bwrapArgs = new ArrayList<String>();
            List<String> pastaArgs;
            if (network instanceof Network.Forwarded forwarded) {
                pastaArgs = List.of("-t", "none", "-u", "none", "-T", forwards(forwarded, undo), "-U", "none");
                Path hosts = hostsFile(forwarded, scratch);
                undo.add(() -> Files.deleteIfExists(hosts));
                bwrapArgs.addAll(List.of("--ro-bind", hosts.toString(), "/etc/hosts"));
            } else {
                pastaArgs = List.of("--config-net", "--no-map-gw", "-t", "none", "-u", "none", "-T", "none", "-U", "none");
            }
            var prefix = new ArrayList<String>();
            if (root) {
                String name = PREFIX + NAMES.incrementAndGet();
                HostCommand.run(List.of(IP, "netns", "add", name));
                undo.add(() -> HostCommand.run(List.of(IP, "netns", "del", name))); // pasta quits with its namespace
                var daemon = new ArrayList<>(List.of(pasta.toString(), "-q", "--runas", "0"));
                daemon.addAll(pastaArgs);
                daemon.addAll(List.of("--netns", name));
                HostCommand.run(daemon);
                prefix.addAll(List.of(IP, "netns", "exec", name));
            } else {
                prefix.addAll(List.of(pasta.toString(), "-q"));
                prefix.addAll(pastaArgs);
                prefix.add("--");
            }
            return new NamespaceNetwork(prefix, bwrapArgs, undo);
        } catch (RuntimeException | IOException e) {
            new NamespaceNetwork(List.of(), List.of(), undo).close();
            throw e instanceof IOException io ? new UncheckedIOException("cannot set up the sandbox's network", io)
                    : (RuntimeException) e;
        }
    }

    List<String> prefix() {
        return prefix;
    }

    List<String> bwrapArgs() {
        return bwrapArgs;
    }

    /** pasta's list of ports: each place's port inside, to the host port that reaches it. */
    private static String forwards(Network.Forwarded forwarded, List<AutoCloseable> undo) throws IOException {
        var specs = new ArrayList<String>();
        for (Network.Place place : forwarded.places()) {
            if (place.loopback()) {
                specs.add(String.valueOf(place.port()));
            } else {
                var relay = new TcpRelay(place);
                undo.add(relay);
                specs.add(place.port() + ":" + relay.port());
            }
        }
        return specs.isEmpty() ? "none" : String.join(",", specs);
    }

    /** Every place a name, on the sandbox's loopback, where its forwarded port waits. */
    private static Path hostsFile(Network.Forwarded forwarded, Path scratch) throws IOException {
        String names = forwarded.places().stream().filter(p -> !p.loopback()).map(Network.Place::host).distinct()
                .collect(Collectors.joining(" "));
        Files.createDirectories(scratch);
        Path hosts = Files.createTempFile(scratch, "hosts-", "");
        Files.writeString(hosts, "127.0.0.1 localhost" + (names.isEmpty() ? "" : " " + names) + "\n::1 localhost\n");
        hosts.toFile().setReadable(true, false);
        return hosts;
    }

    /** Deletes the namespaces an earlier run of this host left behind (pasta goes with each). */
    static void sweep() {
        try {
            Process list = new ProcessBuilder(IP, "netns", "list").redirectErrorStream(true).start();
            String out = new String(list.getInputStream().readAllBytes());
            list.waitFor(10, TimeUnit.SECONDS);
            for (String line : out.lines().toList()) {
                String name = line.split(" ")[0];
                String[] parts = name.split("-");
                if (parts.length == 3 && parts[0].equals("grandpa") && parts[1].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[1])).isEmpty()) {
                    HostCommand.run(List.of(IP, "netns", "del", name));
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing to sweep, or no ip command: nothing was left either
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        boolean interrupted = Thread.interrupted(); // a cancelled run still takes its namespace down
        try {
            undoAll();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void undoAll() {
        for (AutoCloseable step : undo.reversed()) {
            try {
                step.close();
            } catch (Exception e) {
                // undo the rest anyway
            }
        }
    }
}
