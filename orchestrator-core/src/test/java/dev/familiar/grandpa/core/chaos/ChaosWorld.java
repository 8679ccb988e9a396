package dev.familiar.grandpa.core.chaos;

import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.familiar.grandpa.workspace.git.Git;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * What the chaos run's grandpa works with, all on loopback: a stand-in grandpa model and two stand-in
 * coders on fixed ports, each of which can be killed (its port refuses, its answers in flight cut off)
 * and brought back on the same port; and a git repository whose tasks make a file each, checked in the
 * sandbox.
 */
final class ChaosWorld implements AutoCloseable {
    static final String REPOSITORY = "chaos";
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Responder> responders = new HashMap<>();
    private final Map<String, StandInLlamaServer> running = new HashMap<>();
    final Path remote;

    ChaosWorld(Path dir, Random random) throws IOException {
        responders.put("stand-in-grandpa", new StandInGrandpa());
        for (String coder : new String[] {"coder-a", "coder-b"}) {
            responders.put(coder, call -> Reply.text(answer(coder, call)).after(Duration.ofMillis(300 + random.nextInt(700))));
        }
        for (String name : responders.keySet()) {
            ports.put(name, freePort());
            start(name);
        }
        remote = dir.resolve(REPOSITORY + ".git");
        var git = new Git(Duration.ofSeconds(30));
        git.run(dir, "init", "--quiet", "--bare", "--initial-branch=main", remote.toString());
        Path seed = dir.resolve("seed");
        git.run(dir, "clone", "--quiet", remote.toString(), seed.toString());
        Files.writeString(seed.resolve("README.md"), "# chaos\n");
        git.run(seed, "add", "--all");
        git.run(seed, "commit", "--quiet", "-m", "seed");
        git.run(seed, "push", "--quiet", "origin", "HEAD:main");
    }

    /** In a repository, a new file of the subtask's own (no two changes touch the same lines); else a deliverable. */
    static String answer(String coder, ChatCall call) {
        String prompt = call.last("user");
        if (!prompt.contains("You are changing the repository")) {
            return StandInCoder.deliverable(coder, call);
        }
        String name = Integer.toHexString(prompt.substring(0, prompt.indexOf("\n\n")).hashCode())
                + "-" + Integer.toHexString(prompt.substring(prompt.indexOf("Your subtask:")).lines().findFirst().orElse("").hashCode());
        return "made/" + name + ".txt\n<<<<<<< SEARCH\n=======\nwritten by " + coder + "\n>>>>>>> REPLACE\n";
    }

    String url(String name) {
        return "http://127.0.0.1:" + ports.get(name) + "/v1";
    }

    /** Kills the stand-in: its port refuses connections and what it was answering is cut off. */
    synchronized void kill(String name) {
        StandInLlamaServer server = running.remove(name);
        if (server != null) {
            server.close();
        }
    }

    synchronized void start(String name) {
        if (!running.containsKey(name)) {
            running.put(name, StandInLlamaServer.start(name, ports.get(name), responders.get(name)));
        }
    }

    /** Service properties pointing at these models and the repository. */
    Map<String, Object> properties() {
        var p = new LinkedHashMap<String, Object>();
        p.put("grandpa.model.base-url", url("stand-in-grandpa"));
        p.put("grandpa.model.name", "stand-in-grandpa");
        int i = 0;
        for (String coder : new String[] {"coder-a", "coder-b"}) {
            p.put("grandpa.backends[" + i + "].name", coder);
            p.put("grandpa.backends[" + i + "].base-url", url(coder));
            p.put("grandpa.backends[" + i + "].slots", 2);
            p.put("grandpa.backends[" + i + "].timeout", "30s");
            i++;
        }
        p.put("grandpa.repositories[0].name", REPOSITORY);
        p.put("grandpa.repositories[0].url", remote.toString());
        p.put("grandpa.repositories[0].checks.made", "test -d made");
        p.put("grandpa.repositories[0].acceptance", "made");
        return p;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        running.values().forEach(StandInLlamaServer::close);
        running.clear();
    }
}
