package dev.familiar.grandpa.core.testing;

import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A stand-in grandpa model and named stand-in coders, each a real HTTP server on loopback. */
public final class Models implements AutoCloseable {
    public final StandInLlamaServer grandpa;
    public final Map<String, StandInLlamaServer> coders = new LinkedHashMap<>();

    public Models(String... coderNames) {
        grandpa = StandInLlamaServer.start("stand-in-grandpa", new StandInGrandpa());
        for (String name : coderNames) {
            coders.put(name, StandInLlamaServer.start(name, new StandInCoder(name)));
        }
    }

    /** Back to the scripted behaviour: the stand-in grandpa, the stand-in coders, no stream delay. */
    public void scriptedAgain() {
        grandpa.respondWith(new StandInGrandpa());
        coders.forEach((name, server) -> {
            server.respondWith(new StandInCoder(name));
            server.setStreamInterval(Duration.ZERO);
        });
    }

    public StandInLlamaServer coder(String name) {
        return coders.get(name);
    }

    /** Service properties pointing at these servers; every coder has every capability. */
    public Map<String, Object> properties(int slots, Duration timeout) {
        var p = new LinkedHashMap<String, Object>();
        p.put("grandpa.model.base-url", grandpa.baseUrl());
        p.put("grandpa.model.name", "stand-in-grandpa");
        int i = 0;
        for (var coder : coders.values()) {
            p.put("grandpa.backends[" + i + "].name", coder.name());
            p.put("grandpa.backends[" + i + "].base-url", coder.baseUrl());
            p.put("grandpa.backends[" + i + "].slots", slots);
            p.put("grandpa.backends[" + i + "].timeout", timeout.toMillis() + "ms");
            p.put("grandpa.backends[" + i + "].cost", 1.0 + i);
            i++;
        }
        return p;
    }

    public List<StandInLlamaServer> all() {
        var all = new java.util.ArrayList<StandInLlamaServer>();
        all.add(grandpa);
        all.addAll(coders.values());
        return all;
    }

    @Override
    public void close() {
        all().forEach(StandInLlamaServer::close);
    }
}
