package dev.familiar.grandpa.runtime.testing;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * GGUF headers shaped like the seed's real models, written with the project's own writer; tensor
 * data is left as holes, so a 300 GiB model takes a few megabytes of disk.
 */
public final class ShapedModels {
    private ShapedModels() {}

    private record T(String name, GgmlType type, long[] dims) {}

    /**
     * GLM-5.1 IQ3_KS: 79 blocks (0-2 dense, 3-77 MoE with 256 experts, 78 NextN), hidden 6144, expert
     * FFN 2048, gate/up IQ3_KS, down IQ4_KS, MLA attention; split into {@code parts} files.
     *
     * @return the first part
     */
    public static Path glm51(Path dir, int parts, boolean withVocabulary) {
        var tensors = new ArrayList<T>();
        tensors.add(new T("token_embd.weight", GgmlType.Q8_0, dims(6144, 154880)));
        for (int i = 0; i < 79; i++) {
            String b = "blk." + i + ".";
            tensors.add(new T(b + "attn_norm.weight", GgmlType.F32, dims(6144)));
            tensors.add(new T(b + "attn_q_a_norm.weight", GgmlType.F32, dims(2048)));
            tensors.add(new T(b + "attn_kv_a_norm.weight", GgmlType.F32, dims(512)));
            tensors.add(new T(b + "attn_q_a.weight", GgmlType.Q8_0, dims(6144, 2048)));
            tensors.add(new T(b + "attn_q_b.weight", GgmlType.Q8_0, dims(2048, 64 * 256)));
            tensors.add(new T(b + "attn_kv_a_mqa.weight", GgmlType.Q8_0, dims(6144, 576)));
            tensors.add(new T(b + "attn_k_b.weight", GgmlType.Q8_0, dims(192, 512, 64)));
            tensors.add(new T(b + "attn_v_b.weight", GgmlType.Q8_0, dims(512, 256, 64)));
            tensors.add(new T(b + "attn_output.weight", GgmlType.Q8_0, dims(64 * 256, 6144)));
            tensors.add(new T(b + "indexer.k_norm.weight", GgmlType.F32, dims(128)));
            tensors.add(new T(b + "indexer.proj.weight", GgmlType.F16, dims(6144, 32)));
            tensors.add(new T(b + "indexer.attn_k.weight", GgmlType.Q8_0, dims(6144, 128)));
            tensors.add(new T(b + "indexer.attn_q_b.weight", GgmlType.Q8_0, dims(2048, 4096)));
            tensors.add(new T(b + "ffn_norm.weight", GgmlType.F32, dims(6144)));
            if (i < 3) {
                tensors.add(new T(b + "ffn_gate.weight", GgmlType.Q8_0, dims(6144, 12288)));
                tensors.add(new T(b + "ffn_up.weight", GgmlType.Q8_0, dims(6144, 12288)));
                tensors.add(new T(b + "ffn_down.weight", GgmlType.Q8_0, dims(12288, 6144)));
                continue;
            }
            tensors.add(new T(b + "ffn_gate_inp.weight", GgmlType.F32, dims(6144, 256)));
            tensors.add(new T(b + "exp_probs_b.bias", GgmlType.F32, dims(256)));
            tensors.add(new T(b + "ffn_gate_exps.weight", GgmlType.IQ3_KS, dims(6144, 2048, 256)));
            tensors.add(new T(b + "ffn_up_exps.weight", GgmlType.IQ3_KS, dims(6144, 2048, 256)));
            tensors.add(new T(b + "ffn_down_exps.weight", GgmlType.IQ4_KS, dims(2048, 6144, 256)));
            tensors.add(new T(b + "ffn_gate_shexp.weight", GgmlType.Q8_0, dims(6144, 2048)));
            tensors.add(new T(b + "ffn_up_shexp.weight", GgmlType.Q8_0, dims(6144, 2048)));
            tensors.add(new T(b + "ffn_down_shexp.weight", GgmlType.Q8_0, dims(2048, 6144)));
            if (i == 78) {
                tensors.add(new T(b + "nextn.eh_proj.weight", GgmlType.Q8_0, dims(12288, 6144)));
                tensors.add(new T(b + "nextn.enorm.weight", GgmlType.F32, dims(6144)));
                tensors.add(new T(b + "nextn.hnorm.weight", GgmlType.F32, dims(6144)));
                tensors.add(new T(b + "nextn.shared_head_norm.weight", GgmlType.F32, dims(6144)));
            }
        }
        tensors.add(new T("output_norm.weight", GgmlType.F32, dims(6144)));
        tensors.add(new T("output.weight", GgmlType.Q8_0, dims(6144, 154880)));

        var first = new GgufWriter()
                .put("general.architecture", "glm-dsa")
                .put("general.name", "GLM-5.1 (shape only)")
                .putU32("glm-dsa.block_count", 79)
                .putU32("glm-dsa.context_length", 202752)
                .putU32("glm-dsa.embedding_length", 6144)
                .putU32("glm-dsa.feed_forward_length", 12288)
                .putU32("glm-dsa.expert_feed_forward_length", 2048)
                .putU32("glm-dsa.expert_count", 256)
                .putU32("glm-dsa.expert_used_count", 8)
                .putU32("glm-dsa.leading_dense_block_count", 3)
                .putU32("glm-dsa.nextn_predict_layers", 1)
                .putU32("glm-dsa.attention.head_count", 64)
                .putU32("glm-dsa.attention.head_count_kv", 1)
                .putU32("glm-dsa.attention.key_length", 576)
                .putU32("glm-dsa.attention.value_length", 512)
                .putU32("glm-dsa.attention.kv_lora_rank", 512)
                .putU32("glm-dsa.attention.key_length_mla", 256)
                .putU32("glm-dsa.attention.value_length_mla", 256)
                .putU32("glm-dsa.attention.indexer.head_count", 32)
                .putU32("glm-dsa.attention.indexer.key_length", 128)
                .putU32("glm-dsa.attention.indexer.top_k", 2048)
                .putU32("glm-dsa.attention.q_lora_rank", 2048)
                .putU32("glm-dsa.rope.dimension_count", 64)
                .put("glm-dsa.rope.freq_base", 1_000_000.0f);
        if (withVocabulary) {
            first.put("tokenizer.ggml.model", "gpt2")
                    .put("tokenizer.ggml.tokens", IntStream.range(0, 154880).mapToObj(i -> "tok" + i).toList())
                    .put("tokenizer.ggml.merges", IntStream.range(0, 100_000).mapToObj(i -> "a" + i + " b" + i).toList());
        }
        return write(dir, "GLM-5.1-IQ3_KS", first, tensors, parts);
    }

    /**
     * Qwen3.5-397B-A17B: 60 layers all MoE with 512 experts, hidden 4096, expert FFN 1024, gate/up
     * Q4_K, down Q5_K; full attention on every 4th layer with 2 KV heads of 256.
     */
    public static Path qwen35(Path dir, int parts) {
        var tensors = new ArrayList<T>();
        tensors.add(new T("token_embd.weight", GgmlType.Q6_K, dims(4096, 248320)));
        for (int i = 0; i < 60; i++) {
            String b = "blk." + i + ".";
            tensors.add(new T(b + "attn_norm.weight", GgmlType.F32, dims(4096)));
            if ((i + 1) % 4 == 0) {
                tensors.add(new T(b + "attn_q.weight", GgmlType.Q8_0, dims(4096, 32 * 256 * 2)));
                tensors.add(new T(b + "attn_k.weight", GgmlType.Q8_0, dims(4096, 2 * 256)));
                tensors.add(new T(b + "attn_v.weight", GgmlType.Q8_0, dims(4096, 2 * 256)));
                tensors.add(new T(b + "attn_output.weight", GgmlType.Q8_0, dims(32 * 256, 4096)));
            } else {
                tensors.add(new T(b + "attn_qkv.weight", GgmlType.Q8_0, dims(4096, 12288)));
                tensors.add(new T(b + "ssm_out.weight", GgmlType.Q8_0, dims(8192, 4096)));
                tensors.add(new T(b + "ssm_a", GgmlType.F32, dims(64)));
            }
            tensors.add(new T(b + "ffn_gate_inp.weight", GgmlType.F32, dims(4096, 512)));
            tensors.add(new T(b + "ffn_gate_exps.weight", GgmlType.Q4_K, dims(4096, 1024, 512)));
            tensors.add(new T(b + "ffn_up_exps.weight", GgmlType.Q4_K, dims(4096, 1024, 512)));
            tensors.add(new T(b + "ffn_down_exps.weight", GgmlType.Q5_K, dims(1024, 4096, 512)));
            tensors.add(new T(b + "ffn_gate_shexp.weight", GgmlType.Q8_0, dims(4096, 1024)));
            tensors.add(new T(b + "ffn_up_shexp.weight", GgmlType.Q8_0, dims(4096, 1024)));
            tensors.add(new T(b + "ffn_down_shexp.weight", GgmlType.Q8_0, dims(1024, 4096)));
        }
        tensors.add(new T("output_norm.weight", GgmlType.F32, dims(4096)));
        tensors.add(new T("output.weight", GgmlType.Q6_K, dims(4096, 248320)));
        var first = new GgufWriter()
                .put("general.architecture", "qwen35moe")
                .putU32("qwen35moe.block_count", 60)
                .putU32("qwen35moe.context_length", 262144)
                .putU32("qwen35moe.embedding_length", 4096)
                .putU32("qwen35moe.expert_feed_forward_length", 1024)
                .putU32("qwen35moe.expert_count", 512)
                .putU32("qwen35moe.expert_used_count", 10)
                .putU32("qwen35moe.attention.head_count", 32)
                .putU32("qwen35moe.attention.head_count_kv", 2)
                .putU32("qwen35moe.attention.key_length", 256)
                .putU32("qwen35moe.attention.value_length", 256)
                .putU32("qwen35moe.full_attention_interval", 4)
                .putU32("qwen35moe.rope.dimension_count", 64);
        return write(dir, "Qwen3.5-397B-A17B-Q4_K_M", first, tensors, parts);
    }

    private static Path write(Path dir, String name, GgufWriter first, List<T> tensors, int parts) {
        if (parts == 1) {
            tensors.forEach(t -> first.tensor(t.name(), t.type(), t.dims()));
            Path path = dir.resolve(name + ".gguf");
            first.write(path);
            return path;
        }
        int perPart = (tensors.size() + parts - 1) / parts;
        for (int p = 0; p < parts; p++) {
            var writer = p == 0 ? first : new GgufWriter();
            writer.put("split.no", new GgufWriter.Typed(2, p))
                    .put("split.count", new GgufWriter.Typed(2, parts))
                    .put("split.tensors.count", new GgufWriter.Typed(5, tensors.size()));
            for (T t : tensors.subList(Math.min(p * perPart, tensors.size()), Math.min((p + 1) * perPart, tensors.size()))) {
                writer.tensor(t.name(), t.type(), t.dims());
            }
            writer.write(dir.resolve(String.format("%s-%05d-of-%05d.gguf", name, p + 1, parts)));
        }
        return dir.resolve(String.format("%s-%05d-of-%05d.gguf", name, 1, parts));
    }

    private static long[] dims(long... d) {
        return d;
    }
}
