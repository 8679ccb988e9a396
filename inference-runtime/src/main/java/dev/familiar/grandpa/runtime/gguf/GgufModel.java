package dev.familiar.grandpa.runtime.gguf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A model read from one GGUF file or from all parts of a split one; metadata comes from the first part. */
public record GgufModel(List<GgufFile> parts) {

    public GgufModel {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a model has at least one file");
        }
    }

    public Map<String, Object> metadata() {
        return parts.getFirst().metadata();
    }

    public List<TensorInfo> tensors() {
        var all = new ArrayList<TensorInfo>();
        parts.forEach(p -> all.addAll(p.tensors()));
        return all;
    }

    public String architecture() {
        return String.valueOf(metadata().getOrDefault("general.architecture", "unknown"));
    }

    /** An architecture-scoped number ({@code <arch>.<key>}), or the fallback. */
    public long number(String key, long fallback) {
        return metadata().get(architecture() + "." + key) instanceof Number n ? n.longValue() : fallback;
    }

    public Object value(String key) {
        return metadata().get(architecture() + "." + key);
    }
}
