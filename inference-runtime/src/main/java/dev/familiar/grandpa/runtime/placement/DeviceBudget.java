package dev.familiar.grandpa.runtime.placement;

/** A GPU as llama.cpp names it ({@code CUDA0}) and how many bytes of it the model may use. */
public record DeviceBudget(String name, long bytes) {}
