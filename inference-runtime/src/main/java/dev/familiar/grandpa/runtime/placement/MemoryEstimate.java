package dev.familiar.grandpa.runtime.placement;

/** One device's estimated buffers, in bytes. For the host, {@code experts} is the pinned expert memory. */
public record MemoryEstimate(String device, long weights, long experts, long kvCache, long compute, long budget) {

    public long total() {
        return weights + experts + kvCache + compute;
    }

    public boolean fits() {
        return budget <= 0 || total() <= budget;
    }
}
