package dev.familiar.grandpa.runtime.profile;

/**
 * Multi-head latent attention's widths (DeepSeek, GLM-5.x): the cache keeps one latent of {@code latentRank} plus
 * the rope part a token, and a prompt's attention decompresses it into every head's key and value.
 *
 * @param heads      attention heads (GLM-5.1: 64)
 * @param latentRank the KV latent's rank, {@code kv_lora_rank} (512)
 * @param keyNope    a head's key without its rope part (192)
 * @param keyRope    the rope part of a head's key, shared by the heads (64)
 * @param value      a head's value (256)
 */
public record MlaHeads(int heads, long latentRank, long keyNope, long keyRope, long value) {
    public static final MlaHeads NONE = new MlaHeads(0, 0, 0, 0, 0);

    /** The heads times the latent: what mainline's DSA attention keeps a token of the micro-batch. */
    public long latentWidth() {
        return heads * latentRank;
    }

    /** Every head's decompressed key, its rope part included, and value: one token against one cell in a layer. */
    public long decompressedKeyValueWidths() {
        return heads * (keyNope + keyRope + value);
    }

    /** Every head's key and value over the latent (mainline's flash attention): the rank and rope, and the rank. */
    public long latentKeyValueWidths() {
        return heads * (2 * latentRank + keyRope);
    }

    /** Every head's decompressed key (without rope) and value a cell: the rows of {@code attn_kv_b}. */
    public long decompressedWidth() {
        return heads * (keyNope + value);
    }
}
