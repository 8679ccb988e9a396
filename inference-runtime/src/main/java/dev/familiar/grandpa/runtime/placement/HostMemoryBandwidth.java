package dev.familiar.grandpa.runtime.placement;

import java.util.ArrayList;
import java.util.concurrent.CyclicBarrier;

/**
 * Measures how fast this machine's cores together read host memory: what bounds generation speed
 * when expert layers stay in RAM. Every core sums its own slice of a buffer far larger than the
 * caches; the best of a few passes counts.
 */
public final class HostMemoryBandwidth {
    /**
     * The buffer read: far beyond a server's last-level cache. On the H200 lease's Xeon (300 MiB of L3) a buffer of
     * 512 MiB read 255 and 265 GB/s, mostly from the cache; 2, 8 and 16 GiB read 78 to 98 GB/s.
     */
    public static final long PROBE_BYTES = 4L << 30;
    /**
     * The share of the probe's rate that llama.cpp's CPU experts reach while generating, the mean of two H200 leases:
     * on the sixth qwen3moe's 48 CPU layers generated at 61.3 GB/s of expert reads where five probes of 2 to 16 GiB
     * read 78 to 98 (mean 86.4): 0.71; on the seventh at 44.2 where six read 64 to 79 (mean 72.5): 0.61.
     */
    public static final double EXPERT_READ_SHARE = 0.66;

    private HostMemoryBandwidth() {}

    /** Bytes per second of expert reads llama.cpp can expect here: the probe's rate times {@link #EXPERT_READ_SHARE}. */
    public static double forExperts() {
        return measure(PROBE_BYTES) * EXPERT_READ_SHARE;
    }

    /** Bytes per second read, using a buffer of about {@code bytes} (at most a quarter of the heap). */
    public static double measure(long bytes) {
        bytes = Math.min(bytes, Runtime.getRuntime().maxMemory() / 4);
        int threads = Runtime.getRuntime().availableProcessors();
        int perThread = (int) Math.min(Integer.MAX_VALUE - 8, bytes / threads / Long.BYTES);
        long[][] slices = new long[threads][perThread];
        for (long[] slice : slices) {
            java.util.Arrays.fill(slice, 1L); // touch every page before timing
        }
        double best = 0;
        for (int pass = 0; pass < 4; pass++) {
            var barrier = new CyclicBarrier(threads + 1);
            var workers = new ArrayList<Thread>();
            long[] sums = new long[threads];
            for (int t = 0; t < threads; t++) {
                int index = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    await(barrier);
                    long sum = 0;
                    for (long v : slices[index]) {
                        sum += v;
                    }
                    sums[index] = sum;
                }));
            }
            await(barrier);
            long start = System.nanoTime();
            for (Thread w : workers) {
                join(w);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long total = 0;
            for (long s : sums) {
                total += s;
            }
            if (total == (long) threads * perThread) { // the sums were really computed
                best = Math.max(best, (double) threads * perThread * Long.BYTES / seconds);
            }
        }
        return best;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException("bandwidth measurement interrupted", e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bandwidth measurement interrupted", e);
        }
    }
}
