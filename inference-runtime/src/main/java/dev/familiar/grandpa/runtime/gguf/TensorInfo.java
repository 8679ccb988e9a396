package dev.familiar.grandpa.runtime.gguf;

import java.util.Arrays;

/**
 * One tensor as its header describes it.
 *
 * @param typeId    the ggml type id as stored; {@link #type()} is null when the id is not known here
 * @param offset    where its data starts, relative to the file's data section
 * @param bytes     its data size: from the type when known, else from the file's layout
 * @param part      which file of a split model holds it (0 for the first)
 */
public record TensorInfo(String name, long[] dimensions, int typeId, GgmlType type, long offset, long bytes, int part) {

    /** The size the type gives for these dimensions, or -1 when the type is unknown or the row is ragged. */
    public static long bytesOf(GgmlType type, long[] dimensions) {
        if (type == null || dimensions.length == 0) {
            return -1;
        }
        long row = type.rowBytes(dimensions[0]);
        if (row < 0) {
            return -1;
        }
        long rows = 1;
        for (int i = 1; i < dimensions.length; i++) {
            rows = Math.multiplyExact(rows, dimensions[i]);
        }
        return Math.multiplyExact(row, rows);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && Arrays.equals(dimensions, t.dimensions)
                && typeId == t.typeId && offset == t.offset && bytes == t.bytes && part == t.part;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dimensions);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dimensions) + " " + (type == null ? "type#" + typeId : type) + " " + bytes + " B";
    }
}
