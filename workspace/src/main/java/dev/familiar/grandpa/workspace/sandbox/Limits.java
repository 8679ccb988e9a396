package dev.familiar.grandpa.workspace.sandbox;

import java.time.Duration;

/**
 * What one sandboxed command may use.
 *
 * @param time        after this the whole process tree is killed
 * @param memoryBytes address space per process ({@code ulimit -v}); 0 for no limit (a JVM or node reserves much
 *                    more address space than it uses)
 * @param processes   processes and threads it may start ({@code ulimit -u})
 * @param outputBytes output kept (its tail); more is read and dropped
 * @param diskBytes   the largest file it may write ({@code ulimit -f}), and the size of its own /tmp and home
 */
public record Limits(Duration time, long memoryBytes, int processes, int outputBytes, long diskBytes) {
    public static final Limits DEFAULT = new Limits(Duration.ofMinutes(10), 8L << 30, 512, 64 * 1024, 4L << 30);

    public Limits {
        if (diskBytes <= 0) {
            throw new IllegalArgumentException("the disk limit must be positive");
        }
    }
}
