# A GGUF with the shape of Qwen3-30B-A3B (qwen3moe: 48 layers, 2048 wide, 32/4 heads of 128, 128 experts of
# 768, 8 used, vocabulary 151,936) and zero weights, written as a sparse file: llama.cpp's buffers depend on
# the shapes and types alone. Weights Q8_0, norms and the router F32.
import sys, os
sys.path.insert(0, os.environ.get("GGUF_PY", os.path.join(os.path.dirname(__file__), "gguf-py")))
import numpy as np
from gguf import GGUFWriter, GGMLQuantizationType as Q
from gguf.constants import GGML_QUANT_SIZES

out = sys.argv[1]
L, E, HEADS, KV, HD, EXP, USED, FF, VOCAB = 48, 2048, 32, 4, 128, 128, 8, 768, 151936
w = GGUFWriter(out, "qwen3moe")
w.add_name("Qwen3-30B-A3B shape, zero weights")
w.add_block_count(L); w.add_context_length(40960); w.add_embedding_length(E); w.add_feed_forward_length(6144)
w.add_head_count(HEADS); w.add_head_count_kv(KV); w.add_key_length(HD); w.add_value_length(HD)
w.add_rope_freq_base(1e6); w.add_layer_norm_rms_eps(1e-6)
w.add_expert_count(EXP); w.add_expert_used_count(USED); w.add_expert_feed_forward_length(FF)
# byte-level BPE vocabulary: the 256 byte tokens GPT-2 maps bytes to, then filler tokens; no merges needed
bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
cs = bs[:]; n = 0
for b in range(256):
    if b not in bs:
        bs.append(b); cs.append(256 + n); n += 1
tokens = [chr(c) for c in cs] + ["<t%d>" % i for i in range(VOCAB - 256 - 3)] + ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
w.add_tokenizer_model("gpt2"); w.add_tokenizer_pre("qwen2")
w.add_token_list(tokens); w.add_token_types([1] * (VOCAB - 3) + [3, 3, 3]); w.add_token_merges(["Ġ Ġ"])
w.add_eos_token_id(VOCAB - 1); w.add_bos_token_id(VOCAB - 3); w.add_pad_token_id(VOCAB - 3)

def nbytes(shape, t):
    block, size = GGML_QUANT_SIZES[t]
    count = int(np.prod(shape))
    return count // block * size

tensors = []
def t(name, shape, kind):  # shape as numpy gives it: outermost first
    tensors.append((name, shape, kind))
t("token_embd.weight", (VOCAB, E), Q.Q8_0)
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
    t(p + "ffn_gate_inp.weight", (EXP, E), Q.F32)
    t(p + "ffn_gate_exps.weight", (EXP, FF, E), Q.Q8_0)
    t(p + "ffn_up_exps.weight", (EXP, FF, E), Q.Q8_0)
    t(p + "ffn_down_exps.weight", (EXP, E, FF), Q.Q8_0)
t("output_norm.weight", (E,), Q.F32)
t("output.weight", (VOCAB, E), Q.Q8_0)
total = 0
for name, shape, kind in tensors:
    size = nbytes(shape, kind)
    w.add_tensor_info(name, shape, np.float32, size, raw_dtype=kind)
    total += (size + 31) // 32 * 32
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_ti_data_to_file()
f = w.fout[0] if isinstance(w.fout, list) else w.fout
pos = f.tell(); start = (pos + 31) // 32 * 32
f.truncate(start + total); f.close()
print("wrote", out, "data", total / 2**30, "GiB (sparse)")
