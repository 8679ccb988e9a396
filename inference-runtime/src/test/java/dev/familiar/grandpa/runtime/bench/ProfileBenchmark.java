package dev.familiar.grandpa.runtime.bench;

import dev.familiar.grandpa.runtime.gguf.GgufModel;
import dev.familiar.grandpa.runtime.gguf.GgufReader;
import dev.familiar.grandpa.runtime.profile.ModelProfiler;
import dev.familiar.grandpa.runtime.testing.ShapedModels;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;

/**
 * Time to read and profile the header set of an 8-part GLM-5.1-shaped model (1,700+ tensors, a
 * 154,880-token vocabulary and 100,000 merges in the first part), cold (first read in this JVM) and
 * warm (median and best of 50). Target: under 50 ms warm.
 */
public final class ProfileBenchmark {
    public static void main(String[] args) throws Exception {
        var dir = Files.createTempDirectory("grandpa-profile-bench");
        var first = ShapedModels.glm51(dir, 8, true);
        long start = System.nanoTime();
        GgufModel model = GgufReader.readModel(first);
        ModelProfiler.profile(model);
        double cold = (System.nanoTime() - start) / 1e6;
        double[] warm = new double[50];
        for (int i = 0; i < warm.length; i++) {
            long t = System.nanoTime();
            ModelProfiler.profile(GgufReader.readModel(first));
            warm[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(warm);
        long headerBytes = model.parts().stream().mapToLong(p -> p.dataStart()).sum();
        System.err.printf(Locale.ROOT, "model: %d parts, %d tensors, %.1f MiB of headers, %.1f GiB of (sparse) data%n",
                model.parts().size(), model.tensors().size(), headerBytes / 1048576.0,
                model.parts().stream().mapToLong(p -> p.fileSize()).sum() / (double) (1L << 30));
        System.err.printf(Locale.ROOT, "read + profile: cold %.1f ms; warm median %.1f ms, best %.1f ms (%d cores, Java %s)%n",
                cold, warm[warm.length / 2], warm[0], Runtime.getRuntime().availableProcessors(), Runtime.version());
    }
}
