package dev.familiar.grandpa.testkit.standin;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in llama-server as a process of its own, for supervising tests:
 * {@code --port N [--load-ms 2000] [--name x] [--responder <class>] [--slot-save-path DIR]
 * [--prompt-rate 1000 --generate-rate 20]}. It answers 503 while "loading", prints log lines shaped like llama.cpp's
 * (buffer sizes; with the rates, each request's timings as a model of those speeds would take them, waited out a
 * thousand times faster), then serves until killed (other arguments, a llama-server's, are ignored). The
 * responder is a {@link Responder} class with a no-argument constructor on the class path.
 */
public final class StandInServerMain {
    private StandInServerMain() {}

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        int port = Integer.parseInt(value(a, "--port", "8000"));
        long loadMs = Long.parseLong(value(a, "--load-ms", "0"));
        String name = value(a, "--name", "stand-in");
        String responderClass = value(a, "--responder", null);
        Responder responder = responderClass == null ? call -> Reply.text("stand-in answer to: " + call.last("user"))
                : (Responder) Class.forName(responderClass).getDeclaredConstructor().newInstance();
        var server = StandInLlamaServer.start(name, port, responder);
        String slotSavePath = value(a, "--slot-save-path", null);
        if (slotSavePath != null) {
            server.setSlotSavePath(java.nio.file.Path.of(slotSavePath));
        }
        server.setLoading(true);
        var out = System.out;
        String promptRate = value(a, "--prompt-rate", null);
        if (promptRate != null) {
            server.setSpeeds(Speeds.coder(Double.parseDouble(promptRate),
                    Double.parseDouble(value(a, "--generate-rate", promptRate)), 1000));
            server.setLog(out);
        }
        out.println("main: loading model (stand-in, " + loadMs + " ms)");
        out.println("load_tensors: CUDA0 model buffer size = 1234.50 MiB");
        out.println("load_tensors: CUDA_Host model buffer size = 4567.25 MiB");
        out.println("llama_kv_cache: CUDA0 KV buffer size = 512.00 MiB");
        out.flush();
        Thread.sleep(loadMs);
        server.setLoading(false);
        out.println("sched_reserve: CUDA0 compute buffer size = 300.00 MiB");
        // as mainline's server says it now (d32676d77); older ones said "server is listening ... starting the main loop"
        out.println("srv  llama_server: listening on http://127.0.0.1:" + port);
        out.flush();
        new CountDownLatch(1).await();
    }

    private static String value(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }
}
