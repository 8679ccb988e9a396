# A GGUF with the shape of GLM-5.1 (glm-dsa: MLA attention with 64 heads, a query rank of 2,048, a KV latent of
# 512 plus 64 rope dimensions, heads of 192+64 / 256; the DSA indexer's 32 heads of 128; hidden 6144; 256 experts
# of 2048, 8 used, one shared expert; the first blocks dense (12,288); the last block a NextN (MTP) layer;
# vocabulary 154,880) but only a few blocks, and zero weights, written as a sparse file. The key lengths follow
# mainline's converter (576 / 512, the per-head ones as *_mla); ik_llama.cpp reads such a file too. Experts
# Q4_0 (so a few layers load in seconds), other weights Q8_0, norms and routers F32.
#   GGUF_PY=<llama.cpp>/gguf-py python3 gen_glmdsa.py glm.gguf [blocks, default 6: 1 dense, 4 MoE, 1 NextN]
import sys
from zero_gguf import GGUFWriter, Q, begin_tensors, write_with_head
from gguf import ExpertGatingFuncType

out = sys.argv[1]
L = int(sys.argv[2]) if len(sys.argv) > 2 else 6
DENSE, NEXTN = 1, 1
E, HEADS, Q_RANK, KV_RANK, NOPE, ROPE, V_HD = 6144, 64, 2048, 512, 192, 64, 256
EXP, USED, FF, DENSE_FF, VOCAB = 256, 8, 2048, 12288, 154880
IDX_HEADS, IDX_HD = 32, 128
EXPERTS = Q.Q4_0
w = GGUFWriter(out, "glm-dsa")
w.add_name("GLM-5.1 shape, %d blocks, zero weights" % L)
w.add_block_count(L); w.add_context_length(202752); w.add_embedding_length(E); w.add_feed_forward_length(DENSE_FF)
w.add_head_count(HEADS); w.add_head_count_kv(1)
w.add_key_length(KV_RANK + ROPE); w.add_value_length(KV_RANK)
w.add_key_length_mla(NOPE + ROPE); w.add_value_length_mla(V_HD)
w.add_q_lora_rank(Q_RANK); w.add_kv_lora_rank(KV_RANK); w.add_rope_dimension_count(ROPE)
w.add_rope_freq_base(1e6); w.add_layer_norm_rms_eps(1e-5)
w.add_leading_dense_block_count(DENSE); w.add_nextn_predict_layers(NEXTN)
w.add_expert_count(EXP); w.add_expert_used_count(USED); w.add_expert_feed_forward_length(FF)
w.add_expert_shared_count(1); w.add_expert_weights_scale(2.5); w.add_expert_weights_norm(True)
w.add_expert_gating_func(ExpertGatingFuncType.SIGMOID)
w.add_indexer_head_count(IDX_HEADS); w.add_indexer_key_length(IDX_HD); w.add_indexer_top_k(2048)
t = begin_tensors(w, VOCAB, E)
for l in range(L):
    p = "blk.%d." % l
    t(p + "attn_norm.weight", (E,), Q.F32)
    t(p + "attn_q_a_norm.weight", (Q_RANK,), Q.F32)
    t(p + "attn_kv_a_norm.weight", (KV_RANK,), Q.F32)
    t(p + "attn_q_a.weight", (Q_RANK, E), Q.Q8_0)
    t(p + "attn_q_b.weight", (HEADS * (NOPE + ROPE), Q_RANK), Q.Q8_0)
    t(p + "attn_kv_a_mqa.weight", (KV_RANK + ROPE, E), Q.Q8_0)
    t(p + "attn_k_b.weight", (HEADS, KV_RANK, NOPE), Q.Q8_0)
    t(p + "attn_v_b.weight", (HEADS, V_HD, KV_RANK), Q.Q8_0)
    t(p + "attn_output.weight", (E, HEADS * V_HD), Q.Q8_0)
    t(p + "indexer.k_norm.weight", (IDX_HD,), Q.F32)
    t(p + "indexer.k_norm.bias", (IDX_HD,), Q.F32)
    t(p + "indexer.proj.weight", (IDX_HEADS, E), Q.F16)
    t(p + "indexer.attn_k.weight", (IDX_HD, E), Q.Q8_0)
    t(p + "indexer.attn_q_b.weight", (IDX_HEADS * IDX_HD, Q_RANK), Q.Q8_0)
    t(p + "ffn_norm.weight", (E,), Q.F32)
    if l < DENSE:
        t.feed_forward(p, DENSE_FF, E)
    else:
        t.experts(p, EXP, FF, E, EXPERTS, router_bias=True)
        t.feed_forward(p, FF, E, "_shexp")
    if l >= L - NEXTN:
        t(p + "nextn.eh_proj.weight", (E, 2 * E), Q.Q8_0)
        t(p + "nextn.enorm.weight", (E,), Q.F32)
        t(p + "nextn.hnorm.weight", (E,), Q.F32)
        t(p + "nextn.shared_head_norm.weight", (E,), Q.F32)
write_with_head(w, out, t, VOCAB, E)
