package dev.familiar.grandpa.testkit.standin;

import static dev.familiar.grandpa.testkit.standin.Wire.*;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The ways a stand-in server misbehaves when a reply asks it to ({@link Reply.Fault}): for tests of the clients. */
final class Faults {
    private Faults() {
    }

    static void misbehave(HttpExchange exchange, ChatCall call, Reply reply, Answering answering, String name)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        switch (reply.fault()) {
            case RAW_BODY -> send(exchange, 200, reply.content());
            case TRUNCATED_BODY -> {
                byte[] whole = JSON.writeValueAsBytes(answering.completion(call, Reply.text("a complete answer")));
                exchange.sendResponseHeaders(200, whole.length);
                exchange.getResponseBody().write(whole, 0, whole.length / 2);
                exchange.getResponseBody().flush();
                exchange.close();
            }
            case ENDLESS_BODY -> {
                exchange.sendResponseHeaders(200, 0); // chunked, no end promised
                var out = exchange.getResponseBody();
                out.write('{');
                for (int i = 0; i < 600; i++) { // a minute at most, then give up on the client
                    out.write(' ');
                    out.flush();
                    Thread.sleep(100);
                }
                exchange.close();
            }
            case ENDLESS_STREAM -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                var out = exchange.getResponseBody();
                for (int i = 0; i < 600; i++) { // a minute at most, then give up on the client
                    out.write(("data: " + JSON.writeValueAsString(Wire.delta(name, "tok ", null)) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(100);
                }
                exchange.close();
            }
            case HUGE_STREAM -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                var out = exchange.getResponseBody();
                byte[] piece = ("data: " + JSON.writeValueAsString(Wire.delta(name, "x".repeat(64 * 1024), null)) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 16 * 1024; i++) { // 1 GiB of answer, until the client hangs up
                    out.write(piece);
                }
                out.flush();
                exchange.close();
            }
            case CUT_STREAM -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                var out = exchange.getResponseBody();
                String half = reply.content().substring(0, reply.content().length() / 2);
                out.write(("data: " + JSON.writeValueAsString(Wire.delta(name, half, null)) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                // Thrown out of the handler, the server drops the connection without ending the chunked body.
                throw new IOException("stand-in " + name + " cut the stream off");
            }
            case NONE -> throw new IllegalStateException();
        }
    }
}
