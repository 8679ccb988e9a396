# What the zero-weight GGUF generators share: a byte-level BPE vocabulary that loads without merges, and writing
# the tensors as holes (a sparse file): llama.cpp's buffers depend on the shapes and types alone.
import sys, os
sys.path.insert(0, os.environ.get("GGUF_PY", os.path.join(os.path.dirname(__file__), "gguf-py")))
import numpy as np
from gguf import GGUFWriter, GGMLQuantizationType as Q  # noqa: F401 (re-exported for the generators)
from gguf.constants import GGML_QUANT_SIZES


def byte_vocabulary(w, vocab, pre="qwen2"):
    """The 256 byte tokens GPT-2 maps bytes to, filler tokens, then three control tokens (end, start, end of turn)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]; n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b); cs.append(256 + n); n += 1
    tokens = [chr(c) for c in cs] + ["<t%d>" % i for i in range(vocab - 256 - 3)] + ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    w.add_tokenizer_model("gpt2"); w.add_tokenizer_pre(pre)
    w.add_token_list(tokens); w.add_token_types([1] * (vocab - 3) + [3, 3, 3]); w.add_token_merges(["Ġ Ġ"])
    w.add_eos_token_id(vocab - 1); w.add_bos_token_id(vocab - 3); w.add_pad_token_id(vocab - 3)


class Tensors(list):
    """The tensors of a file in order: t(name, shape as numpy gives it (outermost first, ggml's order reversed), type)."""
    def __call__(self, name, shape, kind):
        self.append((name, shape, kind))

    def experts(self, p, n, ff, e, kind, router_bias=False):
        """A MoE block's router (and its selection bias, sigmoid-gated models) and its n routed experts."""
        self(p + "ffn_gate_inp.weight", (n, e), Q.F32)
        if router_bias:
            self(p + "exp_probs_b.bias", (n,), Q.F32)
        self(p + "ffn_gate_exps.weight", (n, ff, e), kind)
        self(p + "ffn_up_exps.weight", (n, ff, e), kind)
        self(p + "ffn_down_exps.weight", (n, e, ff), kind)

    def feed_forward(self, p, ff, e, suffix=""):
        """A dense feed-forward block, or with suffix "_shexp" a shared expert, Q8_0."""
        self(p + "ffn_gate%s.weight" % suffix, (ff, e), Q.Q8_0)
        self(p + "ffn_up%s.weight" % suffix, (ff, e), Q.Q8_0)
        self(p + "ffn_down%s.weight" % suffix, (e, ff), Q.Q8_0)


def begin_tensors(w, vocab, e):
    """The byte vocabulary's metadata, then the tensor list, begun with the token embeddings (Q8_0)."""
    byte_vocabulary(w, vocab)
    t = Tensors()
    t("token_embd.weight", (vocab, e), Q.Q8_0)
    return t


def write_with_head(w, out, t, vocab, e):
    """Ends the tensor list with the output norm and head (Q8_0) and writes the file sparse."""
    t("output_norm.weight", (e,), Q.F32)
    t("output.weight", (vocab, e), Q.Q8_0)
    write_sparse(w, out, t)


def write_sparse(w, out, tensors):
    total = 0
    for name, shape, kind in tensors:
        block, size = GGML_QUANT_SIZES[kind]
        nbytes = int(np.prod(shape)) // block * size
        w.add_tensor_info(name, shape, np.float32, nbytes, raw_dtype=kind)
        total += (nbytes + 31) // 32 * 32
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_ti_data_to_file()
    f = w.fout[0] if isinstance(w.fout, list) else w.fout
    start = (f.tell() + 31) // 32 * 32
    f.truncate(start + total); f.close()
    print("wrote", out, "data", total / 2**30, "GiB (sparse)")
