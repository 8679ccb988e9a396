package dev.familiar.grandpa.runtime.placement;

/** A GPU as llama.cpp names it ({@code CUDA0}) and how many bytes of it the model may use. */
public record DeviceBudget(String name, long bytes) {

    /** GPUs CUDA0, CUDA1, … with budgets written as people write them ({@code 96GiB}). */
    public static java.util.List<DeviceBudget> gpus(java.util.List<String> sizes) {
        var gpus = new java.util.ArrayList<DeviceBudget>();
        for (String size : sizes) {
            gpus.add(new DeviceBudget("CUDA" + gpus.size(), Sizes.bytes(size)));
        }
        return gpus;
    }
}
