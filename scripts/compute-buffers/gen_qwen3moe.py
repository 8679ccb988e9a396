# A GGUF with the shape of Qwen3-30B-A3B (qwen3moe: 48 layers, 2048 wide, 32/4 heads of 128, 128 experts of
# 768, 8 used, vocabulary 151,936) and zero weights, written as a sparse file: llama.cpp's buffers depend on
# the shapes and types alone. Weights Q8_0, norms and the router F32. With `tiny` after the file: 2 layers, 256 wide,
# 4/2 heads of 64, 8 experts of 128, 2 used, 1,000 tokens: a model a CPU-only llama-server loads in a second, to run
# `grandpa placement --verify` end to end without a GPU (BENCHMARKS.md, "Speed of a placement", sixth lease).
import sys
from zero_gguf import GGUFWriter, Q, begin_tensors, write_with_head

out = sys.argv[1]
L, E, HEADS, KV, HD, EXP, USED, FF, VOCAB = 48, 2048, 32, 4, 128, 128, 8, 768, 151936
if sys.argv[2:] == ["tiny"]:
    L, E, HEADS, KV, HD, EXP, USED, FF, VOCAB = 2, 256, 4, 2, 64, 8, 2, 128, 1000
w = GGUFWriter(out, "qwen3moe")
w.add_name("Qwen3-30B-A3B shape, zero weights")
w.add_block_count(L); w.add_context_length(40960); w.add_embedding_length(E); w.add_feed_forward_length(6144)
w.add_head_count(HEADS); w.add_head_count_kv(KV); w.add_key_length(HD); w.add_value_length(HD)
w.add_rope_freq_base(1e6); w.add_layer_norm_rms_eps(1e-6)
w.add_expert_count(EXP); w.add_expert_used_count(USED); w.add_expert_feed_forward_length(FF)
t = begin_tensors(w, VOCAB, E)
for l in range(L):
    p = "blk.%d." % l
    t(p + "attn_norm.weight", (E,), Q.F32)
    t(p + "attn_q.weight", (HEADS * HD, E), Q.Q8_0)
    t(p + "attn_k.weight", (KV * HD, E), Q.Q8_0)
    t(p + "attn_v.weight", (KV * HD, E), Q.Q8_0)
    t(p + "attn_output.weight", (E, HEADS * HD), Q.Q8_0)
    t(p + "attn_q_norm.weight", (HD,), Q.F32)
    t(p + "attn_k_norm.weight", (HD,), Q.F32)
    t(p + "ffn_norm.weight", (E,), Q.F32)
    t.experts(p, EXP, FF, E, Q.Q8_0)
write_with_head(w, out, t, VOCAB, E)
