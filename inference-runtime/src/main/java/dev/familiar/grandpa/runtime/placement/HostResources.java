package dev.familiar.grandpa.runtime.placement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What this machine has, where it can be read: its memory from {@code /proc/meminfo}, and its GPUs'
 * memory from {@code nvidia-smi} (only the {@code placement} command asks it, when it is on the PATH;
 * the service runs no command its configuration did not name).
 */
public final class HostResources {
    private HostResources() {}

    /** A value and where it came from ("read from /proc/meminfo", "assumed"). */
    public record Found<T>(T value, String source) {}

    /** The machine's memory (MemTotal), or the fallback, saying which. */
    public static Found<Long> hostRam(Path meminfo, long fallback) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return new Found<>(kib * 1024, "read from " + meminfo);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // assumed below
        }
        return new Found<>(fallback, "assumed: " + meminfo + " could not be read");
    }

    public static Found<Long> hostRam(long fallback) {
        return hostRam(Path.of("/proc/meminfo"), fallback);
    }

    /** Each NVIDIA GPU's total memory in bytes, from {@code nvidia-smi}; empty when there is none or it fails. */
    public static Optional<List<Long>> nvidiaGpus() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (p.exitValue() != 0) {
                return Optional.empty();
            }
            return parseNvidiaSmi(out);
        } catch (IOException e) {
            return Optional.empty(); // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code nvidia-smi}'s memory.total lines (MiB, no units) as bytes. */
    public static Optional<List<Long>> parseNvidiaSmi(String out) {
        var gpus = new ArrayList<Long>();
        for (String line : out.strip().split("\n")) {
            if (!line.isBlank()) {
                try {
                    gpus.add(Long.parseLong(line.strip()) << 20);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return gpus.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(gpus));
    }
}
