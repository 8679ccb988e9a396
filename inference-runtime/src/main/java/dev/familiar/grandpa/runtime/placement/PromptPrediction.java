package dev.familiar.grandpa.runtime.placement;

/**
 * Predicted prompt processing for a prompt of {@code tokens}: with the host's experts in pinned memory (as the
 * planned command loads them, {@code --load-mode none}) and in mapped pages (llama.cpp's default, mmap).
 */
public record PromptPrediction(int tokens, double pinnedTokensPerSecond, double mappedTokensPerSecond) {}
