package dev.familiar.grandpa.runtime.server;

/** Which server the command is for; they share most flags and differ in a few. */
public enum LlamaServerFlavor {
    /** Upstream llama.cpp's {@code llama-server}. */
    LLAMA_CPP("llama-server"),
    /** ik_llama.cpp's {@code llama-server}, with its IQ*_K types and {@code -ger -muge -amb}. */
    IK_LLAMA_CPP("llama-server");

    private final String binary;

    LlamaServerFlavor(String binary) {
        this.binary = binary;
    }

    public String binary() {
        return binary;
    }
}
