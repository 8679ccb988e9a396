package dev.familiar.grandpa.runtime.profile;

public enum LayerKind {
    DENSE,
    MOE,
    /** A multi-token-prediction (NextN/MTP) block: counted apart, and not loaded for ordinary generation. */
    NEXTN
}
