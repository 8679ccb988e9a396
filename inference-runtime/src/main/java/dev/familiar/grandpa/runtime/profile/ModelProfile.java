package dev.familiar.grandpa.runtime.profile;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import java.util.List;

/**
 * What a model needs, layer by layer: the numbers placement works from.
 *
 * @param attention       "GQA", "MLA" or "hybrid GQA" (only some layers keep a KV cache)
 * @param nonLayerBytes   token embeddings, output norm and head
 * @param indexerKeyLength a DSA lightning indexer's key per token and layer (GLM-5.1: 128), 0 without one
 * @param mla             MLA's widths, {@link MlaHeads#NONE} for other attention
 * @param headWidths      the query heads times a head's key and value widths: the multiply-adds of one query token
 *                        against one cached token in one attention layer (MLA: its heads as decompressed)
 * @param headKeyLength   a head's key width, rope part included (MLA: as decompressed)
 */
public record ModelProfile(
        String architecture,
        List<LayerProfile> layers,
        long nonLayerBytes,
        long outputBytes,
        int expertCount,
        int expertsUsed,
        long embedding,
        long expertFeedForward,
        long vocabulary,
        String attention,
        long indexerKeyLength,
        MlaHeads mla,
        long headWidths,
        long headKeyLength,
        long totalBytes) {

    public ModelProfile {
        layers = List.copyOf(layers);
    }

    /** Layers whose routed experts can be placed: MoE layers, not NextN ones. */
    public List<LayerProfile> expertLayers() {
        return layers.stream().filter(l -> l.kind() == LayerKind.MOE).toList();
    }

    public long nextnLayers() {
        return layers.stream().filter(l -> l.kind() == LayerKind.NEXTN).count();
    }

    public long denseLayers() {
        return layers.stream().filter(l -> l.kind() == LayerKind.DENSE).count();
    }

    public long kvLayers() {
        return layers.stream().filter(l -> l.kind() != LayerKind.NEXTN && l.kvElementsPerToken() > 0).count();
    }

    /** KV cache bytes one token costs, for a cache type such as {@link GgmlType#Q8_0}. */
    public long kvBytesPerToken(GgmlType cacheType) {
        long elements = layers.stream().filter(l -> l.kind() != LayerKind.NEXTN)
                .mapToLong(LayerProfile::kvElementsPerToken).sum();
        return elements * cacheType.typeSize() / cacheType.blockSize();
    }

    /** The recurrent state one sequence costs, in bytes, over all layers (a hybrid's linear attention; 0 for others). */
    public long stateBytesPerSequence() {
        return layers.stream().filter(l -> l.kind() != LayerKind.NEXTN).mapToLong(LayerProfile::stateBytes).sum();
    }

    /** Everything that is not a routed expert of a placeable layer: attention, dense, shared, embeddings. */
    public long nonExpertBytes() {
        return nonLayerBytes + layers.stream().filter(l -> l.kind() != LayerKind.NEXTN)
                .mapToLong(l -> l.sharedExpertBytes() + l.otherBytes() + (l.kind() == LayerKind.MOE ? 0 : l.expertBytes()))
                .sum();
    }

    public long expertBytes() {
        return expertLayers().stream().mapToLong(LayerProfile::expertBytes).sum();
    }

    /** The multiply-adds of one MoE layer's routed experts, all of them: gate, up and down for every expert. */
    public double expertWeightsPerLayer() {
        return 3.0 * embedding * expertFeedForward * Math.max(expertCount, 1);
    }

    /** The share of a layer's routed experts one token uses (1 for a model without a count). */
    public double expertShare() {
        return expertCount == 0 ? 1 : (double) expertsUsed / expertCount;
    }

    /** Routed expert bytes a token reads from one MoE layer: the active share of its experts. */
    public double activeExpertBytes(LayerProfile layer) {
        return layer.expertBytes() * expertShare();
    }
}
