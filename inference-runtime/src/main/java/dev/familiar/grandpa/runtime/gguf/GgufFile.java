package dev.familiar.grandpa.runtime.gguf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The header of one GGUF file: its metadata and tensor infos. Arrays in the metadata are kept as
 * lists, except long arrays of strings (a tokenizer's vocabulary), which are kept as their size only
 * ({@link SkippedArray}) since nothing here needs them.
 */
public record GgufFile(Path path, int version, Map<String, Object> metadata, List<TensorInfo> tensors,
                       int alignment, long dataStart, long fileSize) {

    /** A metadata array that was walked but not kept. */
    public record SkippedArray(String elementType, long length) {}

    public GgufFile {
        metadata = Map.copyOf(metadata);
        tensors = List.copyOf(tensors);
    }
}
