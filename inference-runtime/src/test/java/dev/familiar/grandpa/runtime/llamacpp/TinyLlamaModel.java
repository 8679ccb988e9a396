package dev.familiar.grandpa.runtime.llamacpp;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.testing.GgufWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A llama-architecture model small enough for a unit test (2 layers, 64 wide, random weights), with
 * a byte-level SentencePiece vocabulary (every byte one token) and ChatML's two control tokens; its
 * end-of-turn token is {@code <|im_end|>}. Written by our own GGUF writer, read by real llama.cpp.
 */
public final class TinyLlamaModel {
    static final int IM_START = 259;
    static final int IM_END = 260;

    private TinyLlamaModel() {
    }

    public static Path write(Path path) {
        int embd = 64;
        int ff = 128;
        int layers = 2;
        var tokens = new ArrayList<String>(List.of("<unk>", "<s>", "</s>"));
        var types = new ArrayList<Integer>(List.of(2, 3, 3)); // unknown, control, control
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(6); // byte
        }
        tokens.addAll(List.of("<|im_start|>", "<|im_end|>"));
        types.addAll(List.of(3, 3));
        int vocab = tokens.size();
        var scores = new ArrayList<Float>();
        tokens.forEach(t -> scores.add(0f));
        var w = new GgufWriter()
                .put("general.architecture", "llama").put("general.name", "tiny test model")
                .putU32("llama.context_length", 4096).putU32("llama.embedding_length", embd)
                .putU32("llama.block_count", layers).putU32("llama.feed_forward_length", ff)
                .putU32("llama.attention.head_count", 4).putU32("llama.attention.head_count_kv", 4)
                .put("llama.attention.layer_norm_rms_epsilon", 1e-5f).putU32("llama.rope.dimension_count", embd / 4)
                .put("tokenizer.ggml.model", "llama").put("tokenizer.ggml.tokens", tokens)
                .put("tokenizer.ggml.scores", scores).put("tokenizer.ggml.token_type", types)
                .putU32("tokenizer.ggml.bos_token_id", 1).putU32("tokenizer.ggml.eos_token_id", IM_END)
                .putU32("tokenizer.ggml.unknown_token_id", 0)
                .put("tokenizer.ggml.add_bos_token", false).put("tokenizer.ggml.add_space_prefix", false);
        var random = new Random(1);
        w.tensor("token_embd.weight", GgmlType.F32, weights(random, embd * vocab, 0.5f), embd, vocab);
        w.tensor("output_norm.weight", GgmlType.F32, ones(embd), embd);
        w.tensor("output.weight", GgmlType.F32, weights(random, embd * vocab, 0.5f), embd, vocab);
        for (int l = 0; l < layers; l++) {
            String blk = "blk." + l + ".";
            w.tensor(blk + "attn_norm.weight", GgmlType.F32, ones(embd), embd);
            for (String t : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
                w.tensor(blk + t + ".weight", GgmlType.F32, weights(random, embd * embd, 0.1f), embd, embd);
            }
            w.tensor(blk + "ffn_norm.weight", GgmlType.F32, ones(embd), embd);
            w.tensor(blk + "ffn_gate.weight", GgmlType.F32, weights(random, embd * ff, 0.1f), embd, ff);
            w.tensor(blk + "ffn_up.weight", GgmlType.F32, weights(random, embd * ff, 0.1f), embd, ff);
            w.tensor(blk + "ffn_down.weight", GgmlType.F32, weights(random, embd * ff, 0.1f), ff, embd);
        }
        w.write(path);
        return path;
    }

    private static byte[] weights(Random random, int n, float scale) {
        var bytes = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bytes.putFloat((float) (random.nextGaussian() * scale));
        }
        return bytes.array();
    }

    private static byte[] ones(int n) {
        var bytes = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bytes.putFloat(1f);
        }
        return bytes.array();
    }
}
