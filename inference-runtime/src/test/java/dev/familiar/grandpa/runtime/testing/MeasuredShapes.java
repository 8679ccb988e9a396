package dev.familiar.grandpa.runtime.testing;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.gguf.GgufReader;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.profile.ModelProfiler;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The zero-weight shapes measured on the H200 machine, exactly as {@code scripts/compute-buffers/gen_*.py} write
 * them for llama.cpp (a few layers of each seed model's widths), so the planner's estimate for a file can be set
 * against what the servers allocated and how fast they ran for it.
 */
public final class MeasuredShapes {
    private static final Pattern HYBRID = Pattern.compile("qwen35moe-(\\d+)-layers");
    private static final Pattern GLM = Pattern.compile("glm-dsa-(\\d+)-blocks");
    private static final Map<String, ModelProfile> PROFILES = new ConcurrentHashMap<>();

    private MeasuredShapes() {}

    /**
     * The profile of a measured shape by the name the measurements' CSV files give it, which is the name its file is
     * written under ({@code qwen3moe-30b-a3b}, {@code qwen35moe-8-layers}, {@code glm-dsa-6-blocks}); written into
     * {@code dir} and profiled once.
     */
    public static ModelProfile profile(Path dir, String name) {
        return PROFILES.computeIfAbsent(name, n -> ModelProfiler.profile(GgufReader.readModel(write(dir, n))));
    }

    private static Path write(Path dir, String name) {
        Matcher hybrid = HYBRID.matcher(name);
        Matcher glm = GLM.matcher(name);
        if (hybrid.matches()) {
            return qwen35Hybrid(dir, Integer.parseInt(hybrid.group(1)));
        }
        if (glm.matches()) {
            return glmDsa(dir, Integer.parseInt(glm.group(1)));
        }
        for (Qwen3Moe shape : new Qwen3Moe[] {Qwen3Moe.A3B, Qwen3Moe.WIDE}) {
            if (shape.name().equals(name)) {
                return qwen3Moe(dir, shape);
            }
        }
        throw new IllegalArgumentException("no measured shape is called " + name);
    }

    /** A qwen3moe shape, Q8_0 weights, as {@code scripts/compute-buffers/gen_qwen3moe.py} writes it for llama.cpp. */
    public record Qwen3Moe(String name, int layers, int embedding, int heads, int kvHeads, int experts, int used,
                           int expertFeedForward, int vocabulary) {
        /** Qwen3-30B-A3B. */
        public static final Qwen3Moe A3B = new Qwen3Moe("qwen3moe-30b-a3b", 48, 2048, 32, 4, 128, 8, 768, 151936);
        /** Wider and shallower, with a larger vocabulary, to check that the fit follows the shape. */
        public static final Qwen3Moe WIDE = new Qwen3Moe("qwen3moe-24x4096", 24, 4096, 64, 4, 64, 8, 1536, 202048);
    }

    public static Path qwen3Moe(Path dir, Qwen3Moe m) {
        int e = m.embedding(), ff = m.expertFeedForward(), head = 128;
        var w = withEmbeddings(e, m.vocabulary());
        for (int i = 0; i < m.layers(); i++) {
            String b = "blk." + i + ".";
            w.tensor(b + "attn_norm.weight", GgmlType.F32, dims(e));
            w.tensor(b + "attn_q.weight", GgmlType.Q8_0, dims(e, m.heads() * head));
            w.tensor(b + "attn_k.weight", GgmlType.Q8_0, dims(e, m.kvHeads() * head));
            w.tensor(b + "attn_v.weight", GgmlType.Q8_0, dims(e, m.kvHeads() * head));
            w.tensor(b + "attn_output.weight", GgmlType.Q8_0, dims(m.heads() * head, e));
            w.tensor(b + "attn_q_norm.weight", GgmlType.F32, dims(head));
            w.tensor(b + "attn_k_norm.weight", GgmlType.F32, dims(head));
            w.tensor(b + "ffn_norm.weight", GgmlType.F32, dims(e));
            routedExperts(w, b, e, ff, m.experts(), GgmlType.Q8_0, false);
        }
        outputHead(w, e, m.vocabulary());
        w
                .put("general.architecture", "qwen3moe")
                .putU32("qwen3moe.block_count", m.layers())
                .putU32("qwen3moe.context_length", 40960)
                .putU32("qwen3moe.embedding_length", e)
                .putU32("qwen3moe.expert_feed_forward_length", ff)
                .putU32("qwen3moe.expert_count", m.experts())
                .putU32("qwen3moe.expert_used_count", m.used())
                .putU32("qwen3moe.attention.head_count", m.heads())
                .putU32("qwen3moe.attention.head_count_kv", m.kvHeads())
                .putU32("qwen3moe.attention.key_length", head)
                .putU32("qwen3moe.attention.value_length", head);
        return write(dir, m.name(), w);
    }

    /**
     * Qwen3.5-397B-A17B's widths in a few layers, Q8_0 weights, as {@code scripts/compute-buffers/gen_qwen35moe.py}
     * writes it for llama.cpp: every 4th layer full attention (32 query heads with their gate, 2 KV heads of 256),
     * the others Gated DeltaNet (16 key heads, 64 value heads of 128, a convolution of 4), 512 experts of 1024,
     * 10 used, a shared expert.
     */
    public static Path qwen35Hybrid(Path dir, int layers) {
        int e = 4096, ff = 1024, experts = 512, vocabulary = 248320, keyDim = 16 * 128, valueDim = 64 * 128;
        var w = withEmbeddings(e, vocabulary);
        for (int i = 0; i < layers; i++) {
            String b = "blk." + i + ".";
            w.tensor(b + "attn_norm.weight", GgmlType.F32, dims(e));
            w.tensor(b + "post_attention_norm.weight", GgmlType.F32, dims(e));
            if ((i + 1) % 4 == 0) {
                w.tensor(b + "attn_q.weight", GgmlType.Q8_0, dims(e, 32 * 256 * 2));
                w.tensor(b + "attn_k.weight", GgmlType.Q8_0, dims(e, 2 * 256));
                w.tensor(b + "attn_v.weight", GgmlType.Q8_0, dims(e, 2 * 256));
                w.tensor(b + "attn_output.weight", GgmlType.Q8_0, dims(32 * 256, e));
                w.tensor(b + "attn_q_norm.weight", GgmlType.F32, dims(256));
                w.tensor(b + "attn_k_norm.weight", GgmlType.F32, dims(256));
            } else {
                w.tensor(b + "attn_qkv.weight", GgmlType.Q8_0, dims(e, keyDim * 2 + valueDim));
                w.tensor(b + "attn_gate.weight", GgmlType.Q8_0, dims(e, valueDim));
                w.tensor(b + "ssm_conv1d.weight", GgmlType.F32, dims(4, keyDim * 2 + valueDim));
                w.tensor(b + "ssm_dt.bias", GgmlType.F32, dims(64));
                w.tensor(b + "ssm_a", GgmlType.F32, dims(64));
                w.tensor(b + "ssm_beta.weight", GgmlType.F32, dims(e, 64));
                w.tensor(b + "ssm_alpha.weight", GgmlType.F32, dims(e, 64));
                w.tensor(b + "ssm_norm.weight", GgmlType.F32, dims(128));
                w.tensor(b + "ssm_out.weight", GgmlType.Q8_0, dims(valueDim, e));
            }
            routedExperts(w, b, e, ff, experts, GgmlType.Q8_0, false);
            w.tensor(b + "ffn_gate_inp_shexp.weight", GgmlType.F32, dims(e));
            feedForward(w, b + "ffn_%s_shexp.weight", e, ff);
        }
        outputHead(w, e, vocabulary);
        w
                .put("general.architecture", "qwen35moe")
                .putU32("qwen35moe.block_count", layers)
                .putU32("qwen35moe.context_length", 262144)
                .putU32("qwen35moe.embedding_length", e)
                .putU32("qwen35moe.feed_forward_length", ff)
                .putU32("qwen35moe.expert_feed_forward_length", ff)
                .putU32("qwen35moe.expert_shared_feed_forward_length", ff)
                .putU32("qwen35moe.expert_count", experts)
                .putU32("qwen35moe.expert_used_count", 10)
                .putU32("qwen35moe.attention.head_count", 32)
                .putU32("qwen35moe.attention.head_count_kv", 2)
                .putU32("qwen35moe.attention.key_length", 256)
                .putU32("qwen35moe.attention.value_length", 256)
                .putU32("qwen35moe.rope.dimension_count", 64)
                .putU32("qwen35moe.full_attention_interval", 4)
                .putU32("qwen35moe.ssm.conv_kernel", 4)
                .putU32("qwen35moe.ssm.inner_size", valueDim)
                .putU32("qwen35moe.ssm.state_size", 128)
                .putU32("qwen35moe.ssm.time_step_rank", 64)
                .putU32("qwen35moe.ssm.group_count", 16);
        return write(dir, "qwen35moe-" + layers + "-layers", w);
    }

    /**
     * GLM-5.1's widths in a few blocks, as {@code gen_glmdsa.py} writes them: MLA (64 heads, query rank 2,048, KV latent
     * 512 + 64 rope, heads of 192+64 and 256), the DSA indexer (32 heads of 128), the first block dense (12,288),
     * 256 experts of 2,048 (8 used, Q4_0) and a shared one, the last block NextN; other weights Q8_0.
     */
    public static Path glmDsa(Path dir, int blocks) {
        int e = 6144, heads = 64, qRank = 2048, kvRank = 512, nope = 192, rope = 64, v = 256, experts = 256, ff = 2048;
        int vocabulary = 154880, indexerHeads = 32, indexerHead = 128;
        var w = withEmbeddings(e, vocabulary);
        for (int i = 0; i < blocks; i++) {
            String b = "blk." + i + ".";
            w.tensor(b + "attn_norm.weight", GgmlType.F32, dims(e));
            w.tensor(b + "attn_q_a_norm.weight", GgmlType.F32, dims(qRank));
            w.tensor(b + "attn_kv_a_norm.weight", GgmlType.F32, dims(kvRank));
            w.tensor(b + "attn_q_a.weight", GgmlType.Q8_0, dims(e, qRank));
            w.tensor(b + "attn_q_b.weight", GgmlType.Q8_0, dims(qRank, heads * (nope + rope)));
            w.tensor(b + "attn_kv_a_mqa.weight", GgmlType.Q8_0, dims(e, kvRank + rope));
            w.tensor(b + "attn_k_b.weight", GgmlType.Q8_0, dims(nope, kvRank, heads));
            w.tensor(b + "attn_v_b.weight", GgmlType.Q8_0, dims(kvRank, v, heads));
            w.tensor(b + "attn_output.weight", GgmlType.Q8_0, dims(heads * v, e));
            w.tensor(b + "indexer.k_norm.weight", GgmlType.F32, dims(indexerHead));
            w.tensor(b + "indexer.k_norm.bias", GgmlType.F32, dims(indexerHead));
            w.tensor(b + "indexer.proj.weight", GgmlType.F16, dims(e, indexerHeads));
            w.tensor(b + "indexer.attn_k.weight", GgmlType.Q8_0, dims(e, indexerHead));
            w.tensor(b + "indexer.attn_q_b.weight", GgmlType.Q8_0, dims(qRank, indexerHeads * indexerHead));
            w.tensor(b + "ffn_norm.weight", GgmlType.F32, dims(e));
            if (i == 0) {
                feedForward(w, b + "ffn_%s.weight", e, 12288);
            } else {
                routedExperts(w, b, e, ff, experts, GgmlType.Q4_0, true);
                feedForward(w, b + "ffn_%s_shexp.weight", e, ff);
            }
            if (i == blocks - 1) {
                w.tensor(b + "nextn.eh_proj.weight", GgmlType.Q8_0, dims(2 * e, e));
                w.tensor(b + "nextn.enorm.weight", GgmlType.F32, dims(e));
                w.tensor(b + "nextn.hnorm.weight", GgmlType.F32, dims(e));
                w.tensor(b + "nextn.shared_head_norm.weight", GgmlType.F32, dims(e));
            }
        }
        outputHead(w, e, vocabulary);
        w.put("general.architecture", "glm-dsa")
                .putU32("glm-dsa.block_count", blocks)
                .putU32("glm-dsa.context_length", 202752)
                .putU32("glm-dsa.embedding_length", e)
                .putU32("glm-dsa.feed_forward_length", 12288)
                .putU32("glm-dsa.expert_feed_forward_length", ff)
                .putU32("glm-dsa.expert_count", experts)
                .putU32("glm-dsa.expert_used_count", 8)
                .putU32("glm-dsa.expert_shared_count", 1)
                .putU32("glm-dsa.leading_dense_block_count", 1)
                .putU32("glm-dsa.nextn_predict_layers", 1)
                .putU32("glm-dsa.attention.head_count", heads)
                .putU32("glm-dsa.attention.head_count_kv", 1)
                .putU32("glm-dsa.attention.key_length", kvRank + rope)
                .putU32("glm-dsa.attention.value_length", kvRank)
                .putU32("glm-dsa.attention.key_length_mla", nope + rope)
                .putU32("glm-dsa.attention.value_length_mla", v)
                .putU32("glm-dsa.attention.q_lora_rank", qRank)
                .putU32("glm-dsa.attention.kv_lora_rank", kvRank)
                .putU32("glm-dsa.attention.indexer.head_count", indexerHeads)
                .putU32("glm-dsa.attention.indexer.key_length", indexerHead)
                .putU32("glm-dsa.attention.indexer.top_k", 2048)
                .putU32("glm-dsa.rope.dimension_count", rope);
        return write(dir, "glm-dsa-" + blocks + "-blocks", w);
    }

    /** A MoE block's router (and its selection bias, for sigmoid-gated models) and its routed experts. */
    private static void routedExperts(GgufWriter w, String b, int e, int ff, int experts, GgmlType type,
                                      boolean routerBias) {
        w.tensor(b + "ffn_gate_inp.weight", GgmlType.F32, dims(e, experts));
        if (routerBias) {
            w.tensor(b + "exp_probs_b.bias", GgmlType.F32, dims(experts));
        }
        w.tensor(b + "ffn_gate_exps.weight", type, dims(e, ff, experts));
        w.tensor(b + "ffn_up_exps.weight", type, dims(e, ff, experts));
        w.tensor(b + "ffn_down_exps.weight", type, dims(ff, e, experts));
    }

    /** A dense feed-forward block or a shared expert, Q8_0: {@code name} has a %s for gate, up and down. */
    private static void feedForward(GgufWriter w, String name, int e, int ff) {
        w.tensor(name.formatted("gate"), GgmlType.Q8_0, dims(e, ff));
        w.tensor(name.formatted("up"), GgmlType.Q8_0, dims(e, ff));
        w.tensor(name.formatted("down"), GgmlType.Q8_0, dims(ff, e));
    }

    private static GgufWriter withEmbeddings(int e, int vocabulary) {
        var w = new GgufWriter();
        w.tensor("token_embd.weight", GgmlType.Q8_0, dims(e, vocabulary));
        return w;
    }

    private static void outputHead(GgufWriter w, int e, int vocabulary) {
        w.tensor("output_norm.weight", GgmlType.F32, dims(e));
        w.tensor("output.weight", GgmlType.Q8_0, dims(e, vocabulary));
    }

    private static Path write(Path dir, String name, GgufWriter writer) {
        Path path = dir.resolve(name + ".gguf");
        writer.write(path);
        return path;
    }

    private static long[] dims(long... d) {
        return d;
    }
}
