package dev.familiar.grandpa.testkit.standin;

import static dev.familiar.grandpa.testkit.standin.Wire.*;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each slot of the stand-in server last evaluated (its prompt and answer, a byte a token), and
 * llama-server's {@code /slots} endpoint over it: listed, saved to and restored from files in the slot save
 * path, erased.
 */
final class SlotMemory {
    private final Map<Integer, byte[]> slots = new ConcurrentHashMap<>();
    private volatile java.nio.file.Path slotSavePath;
    private volatile int contextPerSlot = 32768;

    void setSavePath(java.nio.file.Path dir) {
        this.slotSavePath = dir;
    }

    void setContextPerSlot(int tokens) {
        this.contextPerSlot = tokens;
    }

    int contextPerSlot() {
        return contextPerSlot;
    }

    byte[] evaluated(int slot) {
        return slots.getOrDefault(slot, new byte[0]);
    }

    void hold(int slot, byte[] tokens) {
        slots.put(slot, tokens);
    }

    /**
     * {@code GET /slots} lists the slots; {@code POST /slots/{id}?action=save|restore} with
     * {@code {"filename": ...}} writes or reads a slot's evaluated tokens; {@code action=erase} clears it.
     */
    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("GET".equals(exchange.getRequestMethod()) && path.equals("/slots")) {
            var list = JSON.createArrayNode();
            slots.forEach((id, tokens) -> list.addObject().put("id", id).put("n_ctx", contextPerSlot)
                    .put("is_processing", false).put("n_prompt_tokens", tokens.length));
            send(exchange, 200, JSON.writeValueAsString(list));
            return;
        }
        String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
        int id;
        try {
            id = Integer.parseInt(path.substring("/slots/".length()));
        } catch (RuntimeException e) {
            send(exchange, 400, error(400, "no slot in " + path));
            return;
        }
        String filename;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            filename = body.length == 0 ? null : JSON.readTree(body).path("filename").asString(null);
        }
        try {
            switch (query) {
                case "action=save" -> {
                    byte[] tokens = slots.getOrDefault(id, new byte[0]);
                    java.nio.file.Files.write(slotFile(filename), tokens);
                    send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("id_slot", id)
                            .put("filename", filename).put("n_saved", tokens.length).put("n_written", tokens.length)));
                }
                case "action=restore" -> {
                    byte[] tokens = java.nio.file.Files.readAllBytes(slotFile(filename));
                    slots.put(id, tokens);
                    send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("id_slot", id)
                            .put("filename", filename).put("n_restored", tokens.length).put("n_read", tokens.length)));
                }
                case "action=erase" -> {
                    byte[] old = slots.remove(id);
                    send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("id_slot", id)
                            .put("n_erased", old == null ? 0 : old.length)));
                }
                default -> send(exchange, 400, error(400, "action is save, restore or erase"));
            }
        } catch (IllegalStateException | java.nio.file.NoSuchFileException e) {
            send(exchange, 400, error(400, e.getMessage()));
        }
    }

    java.nio.file.Path slotFile(String filename) {
        if (slotSavePath == null) {
            throw new IllegalStateException("slot saving is off: the server has no slot save path");
        }
        if (filename == null || !filename.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalStateException("a plain file name is needed, not " + filename);
        }
        return slotSavePath.resolve(filename);
    }
}
