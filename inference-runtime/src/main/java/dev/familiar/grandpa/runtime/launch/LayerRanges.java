package dev.familiar.grandpa.runtime.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/** Turns a set of layer numbers into a short regular expression: 3..17 becomes {@code [3-9]|1[0-7]}. */
final class LayerRanges {
    private LayerRanges() {}

    static String regex(SortedSet<Integer> layers) {
        var parts = new ArrayList<String>();
        for (int[] run : runs(layers)) {
            parts.addAll(range(run[0], run[1]));
        }
        return String.join("|", parts);
    }

    /** Contiguous runs as {from, to} pairs. */
    static List<int[]> runs(SortedSet<Integer> layers) {
        var runs = new ArrayList<int[]>();
        int[] current = null;
        for (int layer : layers) {
            if (current != null && layer == current[1] + 1) {
                current[1] = layer;
            } else {
                current = new int[] {layer, layer};
                runs.add(current);
            }
        }
        return runs;
    }

    /** Patterns matching exactly the numbers from..to, without leading zeros. */
    static List<String> range(int from, int to) {
        var patterns = new ArrayList<String>();
        for (int digits = 1, low = 0, high = 9; low <= to; digits++, low = high + 1, high = high * 10 + 9) {
            int start = Math.max(from, low);
            int end = Math.min(to, high);
            while (start <= end) {
                // the largest aligned block of 10^k numbers that starts here and stays in range and digit count
                int k = 0;
                int step = 1;
                while (k + 1 < digits && start % (step * 10) == 0 && start + step * 10 - 1 <= end) {
                    k++;
                    step *= 10;
                }
                int digit = (start / step) % 10;
                int blocks = Math.min((end - start + 1) / step, 10 - digit);
                int prefix = start / (step * 10);
                String head = prefix == 0 ? "" : Integer.toString(prefix);
                String body = blocks == 1 ? Integer.toString(digit) : "[" + digit + "-" + (digit + blocks - 1) + "]";
                patterns.add(head + body + "[0-9]".repeat(k));
                start += blocks * step;
            }
        }
        return patterns;
    }
}
