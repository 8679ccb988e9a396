package dev.familiar.grandpa.runtime.profile;

/**
 * What one block ({@code blk.N}) holds, in bytes.
 *
 * @param sharedExpertBytes the shared experts ({@code ffn_*_shexp}): always active, so they stay with
 *                          the layer's attention rather than move with the routed experts
 * @param otherBytes        attention, norms, router, dense FFN: everything else of the block
 * @param kvElementsPerToken the KV cache elements one token costs in this layer (0 when it keeps none)
 * @param stateBytes        a recurrent layer's state per sequence, whatever the context (a hybrid's linear
 *                          attention: its convolution and its state matrix, in F32); 0 for an attention layer
 */
public record LayerProfile(int index, LayerKind kind, long gateBytes, long upBytes, long downBytes,
                           long sharedExpertBytes, long otherBytes, long kvElementsPerToken, long stateBytes) {

    /** The routed experts: what {@code -ot ...ffn_*_exps} moves. */
    public long expertBytes() {
        return gateBytes + upBytes + downBytes;
    }

    public long bytes() {
        return expertBytes() + sharedExpertBytes + otherBytes;
    }
}
