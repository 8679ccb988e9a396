# A GGUF with the shape of Qwen3.5-397B-A17B (qwen35moe: hybrid attention, every 4th layer full attention with
# 32 query heads and 2 KV heads of 256, the others Gated DeltaNet linear attention with 16 key heads and 64
# value heads of 128 and a convolution of 4; hidden 4096, 512 experts of 1024, 10 used, a shared expert of
# 1024, vocabulary 248,320) but only a few layers, and zero weights, written as a sparse file: llama.cpp's
# buffers depend on the shapes and types alone. Weights Q8_0, norms, the routers and the small state tensors F32.
#   GGUF_PY=<llama.cpp>/gguf-py python3 gen_qwen35moe.py q35.gguf [layers, default 8]
import sys
from zero_gguf import GGUFWriter, Q, begin_tensors, write_with_head

out = sys.argv[1]
L = int(sys.argv[2]) if len(sys.argv) > 2 else 8
E, HEADS, KV, HD, EXP, USED, FF, SHFF, VOCAB = 4096, 32, 2, 256, 512, 10, 1024, 1024, 248320
K_HEADS, V_HEADS, SSM_HD, CONV, INTERVAL = 16, 64, 128, 4, 4
KEY_DIM, VALUE_DIM = K_HEADS * SSM_HD, V_HEADS * SSM_HD
w = GGUFWriter(out, "qwen35moe")
w.add_name("Qwen3.5-397B-A17B shape, %d layers, zero weights" % L)
w.add_block_count(L); w.add_context_length(262144); w.add_embedding_length(E); w.add_feed_forward_length(FF)
w.add_head_count(HEADS); w.add_head_count_kv(KV); w.add_key_length(HD); w.add_value_length(HD)
w.add_rope_freq_base(1e7); w.add_layer_norm_rms_eps(1e-6); w.add_rope_dimension_count(64)
w.add_rope_dimension_sections([11, 11, 10, 0])
w.add_expert_count(EXP); w.add_expert_used_count(USED); w.add_expert_feed_forward_length(FF)
w.add_expert_shared_feed_forward_length(SHFF)
w.add_ssm_conv_kernel(CONV); w.add_ssm_inner_size(VALUE_DIM); w.add_ssm_state_size(SSM_HD)
w.add_ssm_time_step_rank(V_HEADS); w.add_ssm_group_count(K_HEADS); w.add_full_attention_interval(INTERVAL)
t = begin_tensors(w, VOCAB, E)
for l in range(L):
    p = "blk.%d." % l
    t(p + "attn_norm.weight", (E,), Q.F32)
    t(p + "post_attention_norm.weight", (E,), Q.F32)
    if (l + 1) % INTERVAL == 0:  # full attention; the query carries its gate (twice the heads' width)
        t(p + "attn_q.weight", (HEADS * HD * 2, E), Q.Q8_0)
        t(p + "attn_k.weight", (KV * HD, E), Q.Q8_0)
        t(p + "attn_v.weight", (KV * HD, E), Q.Q8_0)
        t(p + "attn_output.weight", (E, HEADS * HD), Q.Q8_0)
        t(p + "attn_q_norm.weight", (HD,), Q.F32)
        t(p + "attn_k_norm.weight", (HD,), Q.F32)
    else:  # Gated DeltaNet
        t(p + "attn_qkv.weight", (KEY_DIM * 2 + VALUE_DIM, E), Q.Q8_0)
        t(p + "attn_gate.weight", (VALUE_DIM, E), Q.Q8_0)
        t(p + "ssm_conv1d.weight", (KEY_DIM * 2 + VALUE_DIM, CONV), Q.F32)
        t(p + "ssm_dt.bias", (V_HEADS,), Q.F32)
        t(p + "ssm_a", (V_HEADS,), Q.F32)
        t(p + "ssm_beta.weight", (V_HEADS, E), Q.F32)
        t(p + "ssm_alpha.weight", (V_HEADS, E), Q.F32)
        t(p + "ssm_norm.weight", (SSM_HD,), Q.F32)
        t(p + "ssm_out.weight", (E, VALUE_DIM), Q.Q8_0)
    t.experts(p, EXP, FF, E, Q.Q8_0)
    t(p + "ffn_gate_inp_shexp.weight", (E,), Q.F32)
    t.feed_forward(p, SHFF, E, "_shexp")
write_with_head(w, out, t, VOCAB, E)
