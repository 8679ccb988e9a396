# Makes a zero-weight GGUF (scripts/compute-buffers/gen_*.py) route its tokens as a real model does: random token
# embeddings (Q8_0), ffn_norm weights of 1 and random routers, so each token of a batch picks its own experts.
# With zero weights every token picks the same experts, and llama.cpp, which copies only the experts a batch
# uses to the GPU when the experts live in host memory, would copy a sixteenth of what it copies for a real model.
# The routers are scaled by 1/sqrt(width) so that a token's scores stay near 1 (as a trained router's do): a sigmoid
# router (GLM's) fed unscaled ones saturates, every score is 1.0 and every token picks the same experts again.
#   GGUF_PY=<llama.cpp>/gguf-py python3 route_randomly.py model.gguf      (in place)
import os, sys
sys.path.insert(0, os.environ["GGUF_PY"])
import numpy as np
from gguf import GGUFReader

reader = GGUFReader(sys.argv[1], "r+")
rng = np.random.default_rng(0)
for t in reader.tensors:
    if t.name.endswith("ffn_gate_inp.weight"):
        t.data[...] = rng.standard_normal(t.data.shape, dtype=np.float32) / np.sqrt(t.data.shape[-1])
    elif t.name.endswith("ffn_norm.weight") or t.name.endswith("post_attention_norm.weight"):
        t.data[...] = 1.0
    elif t.name == "token_embd.weight":
        blocks = t.data.reshape(-1, 34)  # Q8_0: an f16 scale, then 32 int8 values
        blocks[:, 0:2] = np.frombuffer(np.float16(0.02).tobytes(), dtype=np.uint8)
        for start in range(0, len(blocks), 1 << 20):
            part = blocks[start:start + (1 << 20)]
            part[:, 2:] = rng.integers(-127, 128, size=(len(part), 32), dtype=np.int8).view(np.uint8)
reader.data.flush()
print("routers, ffn norms and token embeddings written into", sys.argv[1])
