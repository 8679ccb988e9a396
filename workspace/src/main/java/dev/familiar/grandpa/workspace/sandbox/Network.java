package dev.familiar.grandpa.workspace.sandbox;

import java.util.HashSet;
import java.util.List;

/**
 * What a sandboxed command may reach over the network. Never the host's own loopback services (grandpa's
 * API, its database, a model server): with {@link None} it has no network at all, with {@link Outbound}
 * a namespace of its own with outbound access and the host's loopback refused, with {@link Forwarded}
 * no route anywhere but the listed host ports, each forwarded to the one place it names.
 */
public sealed interface Network {
    None NONE = new None();
    Outbound OUTBOUND = new Outbound();

    /** Only the sandbox's own loopback. */
    record None() implements Network {}

    /** Outbound access (a repository that downloads its dependencies), the host's loopback refused. */
    record Outbound() implements Network {}

    /**
     * Only these places, each reached inside the sandbox at its own name and port: a host on the
     * host's loopback (a model server) through that port alone, any other through a relay to it.
     */
    record Forwarded(List<Place> places) implements Network {
        public Forwarded {
            places = List.copyOf(places);
            var ports = new HashSet<Integer>();
            for (Place place : places) {
                if (!ports.add(place.port())) {
                    throw new IllegalArgumentException("two of the hosts an agent may reach use port " + place.port()
                            + "; inside the sandbox each port leads to one host");
                }
            }
        }
    }

    /** A host and port a command may connect to. */
    record Place(String host, int port) {
        public Place {
            if (host == null || !host.matches("[A-Za-z0-9.:\\-\\[\\]]{1,253}")) {
                throw new IllegalArgumentException("not a host name or address: " + host);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
        }

        /** Whether it is the host's own loopback address, reached by forwarding its port as it is. */
        public boolean loopback() {
            String h = host.toLowerCase(java.util.Locale.ROOT);
            return h.equals("localhost") || h.equals("127.0.0.1");
        }
    }
}
