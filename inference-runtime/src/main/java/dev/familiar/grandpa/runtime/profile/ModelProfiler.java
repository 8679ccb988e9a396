package dev.familiar.grandpa.runtime.profile;

import dev.familiar.grandpa.runtime.gguf.GgufFile;
import dev.familiar.grandpa.runtime.gguf.GgufModel;
import dev.familiar.grandpa.runtime.gguf.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a GGUF header into a {@link ModelProfile}. Layer kinds come from the tensors themselves
 * (routed experts are {@code blk.N.ffn_{gate,up,down}_exps}); NextN blocks are the last
 * {@code nextn_predict_layers} ones, as llama.cpp counts them. The KV cache per token follows the
 * attention the metadata describes: MLA (a compressed latent of {@code kv_lora_rank} plus the rope
 * part, GLM/DeepSeek style), grouped-query attention, and hybrids where only every
 * {@code full_attention_interval}-th layer keeps a cache (Qwen3-Next / Qwen3.5 style).
 */
public final class ModelProfiler {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(.+)");
    private static final Pattern EXPERT = Pattern.compile("ffn_(gate|up|down|gate_up)_exps\\.(weight|bias)");
    private static final Pattern SHARED = Pattern.compile("ffn_(gate|up|down)_shexp\\..*");

    private ModelProfiler() {}

    public static ModelProfile profile(GgufModel model) {
        int blocks = (int) model.number("block_count", -1);
        if (blocks <= 0) {
            throw new IllegalArgumentException("the model has no " + model.architecture() + ".block_count");
        }
        int nextn = (int) model.number("nextn_predict_layers", 0);
        long[] gate = new long[blocks], up = new long[blocks], down = new long[blocks];
        long[] shared = new long[blocks], other = new long[blocks];
        boolean[] attention = new boolean[blocks];
        long nonLayer = 0, output = 0, total = 0;
        for (TensorInfo t : model.tensors()) {
            total += t.bytes();
            Matcher b = BLOCK.matcher(t.name());
            if (!b.matches() || Integer.parseInt(b.group(1)) >= blocks) {
                nonLayer += t.bytes();
                if (t.name().startsWith("output.")) {
                    output += t.bytes();
                }
                continue;
            }
            int i = Integer.parseInt(b.group(1));
            String rest = b.group(2);
            Matcher e = EXPERT.matcher(rest);
            if (e.matches()) {
                switch (e.group(1)) {
                    case "gate" -> gate[i] += t.bytes();
                    case "up" -> up[i] += t.bytes();
                    case "down" -> down[i] += t.bytes();
                    default -> { // fused gate_up: half each
                        gate[i] += t.bytes() / 2;
                        up[i] += t.bytes() - t.bytes() / 2;
                    }
                }
            } else if (SHARED.matcher(rest).matches()) {
                shared[i] += t.bytes();
            } else {
                other[i] += t.bytes();
            }
            if (rest.startsWith("attn_k") || rest.startsWith("attn_q") || rest.startsWith("attn_kv")) {
                attention[i] = true;
            }
        }
        long[] kv = kvElements(model, blocks, attention);
        MlaHeads mla = mla(model);
        long state = recurrentStateBytes(model);
        var layers = new ArrayList<LayerProfile>(blocks);
        for (int i = 0; i < blocks; i++) {
            LayerKind kind = i >= blocks - nextn ? LayerKind.NEXTN
                    : gate[i] + up[i] + down[i] > 0 ? LayerKind.MOE : LayerKind.DENSE;
            layers.add(new LayerProfile(i, kind, gate[i], up[i], down[i], shared[i], other[i], kv[i],
                    kind != LayerKind.NEXTN && kv[i] == 0 ? state : 0));
        }
        return new ModelProfile(model.architecture(), layers, nonLayer, output,
                (int) model.number("expert_count", 0), (int) model.number("expert_used_count", 0),
                model.number("embedding_length", 0),
                // Mixtral's GGUFs (llama) name no expert width: their experts are the feed-forward
                model.number("expert_feed_forward_length", model.number("feed_forward_length", 0)),
                vocabulary(model), attentionKind(model), model.number("attention.indexer.key_length", 0),
                mla, headWidths(model, mla), headKeyLength(model, mla), total);
    }

    /** The query heads times a head's key and value widths (MLA: as decompressed, its rope part in the key). */
    private static long headWidths(GgufModel model, MlaHeads mla) {
        if (mla.heads() > 0) {
            return mla.decompressedKeyValueWidths();
        }
        long key = headKeyLength(model, mla);
        return model.number("attention.head_count", 0) * (key + model.number("attention.value_length", key));
    }

    /** A head's key width, its rope part included (MLA: as decompressed). */
    private static long headKeyLength(GgufModel model, MlaHeads mla) {
        if (mla.heads() > 0) {
            return mla.keyNope() + mla.keyRope();
        }
        long heads = model.number("attention.head_count", 0);
        return model.number("attention.key_length", heads > 0 ? model.number("embedding_length", 0) / heads : 0);
    }

    /** MLA's widths; mainline's converter writes a head's key and value lengths as {@code *_mla} (key_length is then the latent's). */
    private static MlaHeads mla(GgufModel model) {
        long rank = model.number("attention.kv_lora_rank", 0);
        if (rank == 0) {
            return MlaHeads.NONE;
        }
        long rope = model.number("rope.dimension_count", 0);
        long key = model.number("attention.key_length_mla", model.number("attention.key_length", 0));
        long value = model.number("attention.value_length_mla", model.number("attention.value_length", 0));
        return new MlaHeads((int) model.number("attention.head_count", 0), rank, key - rope, rope, value);
    }

    private static String attentionKind(GgufModel model) {
        if (model.number("attention.kv_lora_rank", 0) > 0) {
            return "MLA";
        }
        return model.number("full_attention_interval", 0) > 1 ? "hybrid GQA" : "GQA";
    }

    /**
     * A recurrent (Gated DeltaNet) layer's state per sequence, as llama.cpp keeps it (F32): the convolution's last
     * {@code conv_kernel - 1} inputs of the q, k and v projections, and one {@code key x value} matrix per value
     * head; 0 for a model without {@code ssm.*} keys. Measured: 24.8 MiB for Qwen3.5-397B's six layers a sequence.
     */
    private static long recurrentStateBytes(GgufModel model) {
        long kernel = model.number("ssm.conv_kernel", 0);
        long inner = model.number("ssm.inner_size", 0);
        long keyDim = model.number("ssm.state_size", 0);
        long keyHeads = model.number("ssm.group_count", 0);
        long valueHeads = model.number("ssm.time_step_rank", 0);
        if (kernel == 0 || inner == 0 || keyDim == 0 || valueHeads == 0) {
            return 0;
        }
        long convolution = (kernel - 1) * (2 * keyDim * keyHeads + inner);
        long matrices = valueHeads * (inner / valueHeads) * keyDim;
        return 4 * (convolution + matrices);
    }

    /** KV elements per token for each layer. */
    private static long[] kvElements(GgufModel model, int blocks, boolean[] hasAttention) {
        long[] kv = new long[blocks];
        long rank = model.number("attention.kv_lora_rank", 0);
        long interval = model.number("full_attention_interval", 0);
        long heads = model.number("attention.head_count", 1);
        long embedding = model.number("embedding_length", 0);
        long keyLength = model.number("attention.key_length", heads > 0 ? embedding / heads : 0);
        long valueLength = model.number("attention.value_length", keyLength);
        long rope = model.number("rope.dimension_count", 0);
        List<Long> headsKv = perLayer(model.value("attention.head_count_kv"), blocks, heads);
        for (int i = 0; i < blocks; i++) {
            boolean keeps = interval > 1 ? (i + 1) % interval == 0 : hasAttention[i] || !anyAttention(hasAttention);
            if (!keeps) {
                continue;
            }
            kv[i] = rank > 0 ? rank + rope : headsKv.get(i) * (keyLength + valueLength);
        }
        return kv;
    }

    private static boolean anyAttention(boolean[] hasAttention) {
        for (boolean b : hasAttention) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** {@code head_count_kv} is a number, or an array with one entry per layer (0 for layers without attention). */
    private static List<Long> perLayer(Object value, int blocks, long fallback) {
        var result = new ArrayList<Long>(blocks);
        for (int i = 0; i < blocks; i++) {
            if (value instanceof List<?> list && i < list.size() && list.get(i) instanceof Number n) {
                result.add(n.longValue());
            } else if (value instanceof Number n) {
                result.add(n.longValue());
            } else {
                result.add(fallback);
            }
        }
        return result;
    }

    /** From the tokenizer's token list, or the embedding matrix's second dimension. */
    private static long vocabulary(GgufModel model) {
        Object tokens = model.metadata().get("tokenizer.ggml.tokens");
        if (tokens instanceof GgufFile.SkippedArray s) {
            return s.length();
        }
        if (tokens instanceof List<?> l) {
            return l.size();
        }
        return model.tensors().stream().filter(t -> t.name().equals("token_embd.weight") && t.dimensions().length > 1)
                .mapToLong(t -> t.dimensions()[1]).findFirst().orElse(0);
    }
}
