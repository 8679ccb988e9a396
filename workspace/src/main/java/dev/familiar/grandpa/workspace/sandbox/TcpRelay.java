package dev.familiar.grandpa.workspace.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries a sandboxed command's connections to one host it may reach: it listens on a port of the
 * host's loopback, which only that command's network namespace is given, and connects each
 * connection to the one place it was made for. Bytes pass through untouched (TLS stays end to end).
 */
final class TcpRelay implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Network.Place target;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    TcpRelay(Network.Place target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("relay-" + target.host()).start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket inside = server.accept();
                open.add(inside);
                Thread.ofVirtual().start(() -> connect(inside));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket inside) {
        var outside = new Socket();
        open.add(outside);
        try (inside; outside) {
            outside.connect(new InetSocketAddress(target.host(), target.port()), CONNECT_TIMEOUT_MS);
            Thread back = Thread.ofVirtual().start(() -> pipe(outside, inside));
            pipe(inside, outside);
            back.join();
        } catch (IOException e) {
            // the host is not reachable, or one side went away: the connection ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(inside);
            open.remove(outside);
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
