package dev.familiar.grandpa.runtime.placement;

import java.util.List;

/**
 * Predicted speed. Generation: time per token is the active expert bytes read from host memory over its
 * bandwidth, plus the GPU's share (shared/context/moe-offload-measurements.md: time grows linearly with the
 * expert bytes left on the CPU). Prompt processing by prompt size ({@link PromptSpeed}).
 */
public record SpeedPrediction(double tokensPerSecond, double hostMsPerToken, double gpuMsPerToken,
                              double hostBytesPerToken, double hostBandwidth, PromptSpeed promptSpeed) {

    /** Prompt processing at the usual prompt sizes that fit the context. */
    public List<PromptPrediction> prompt() {
        return promptSpeed.bySize();
    }
}
